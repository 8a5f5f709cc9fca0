/*
 * hostdeck's bulk domain statistics, in process: one
 * virConnectGetAllDomainStats per tick over a connection of its own, on a
 * libuv worker thread, formatted exactly as `virsh domstats` prints it (so
 * one parser, src/virt/stats.ts, reads both this and virsh).
 *
 * Why not virsh: a long-running virsh spends more CPU printing 1000 domains
 * (a printf and a flushed write per line) than the whole console spends
 * drawing them. Here the text is built in one buffer without printf, and
 * when it is byte for byte what the previous call returned, the call
 * resolves to null and JavaScript does nothing at all.
 *
 * JavaScript API (see src/virt/native/domstats.ts):
 *   open(uri)                       -> handle (connects on first sample)
 *   sample(handle, stats, flags)    -> Promise<string | null>
 *   close(handle)                   -> undefined
 * At most one sample per handle at a time (the caller enforces it; a second
 * one is rejected).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *uri;
    virConnectPtr conn;
    /* The last text returned, to answer "unchanged". */
    char *prev;
    size_t prevLen;
    int busy;
    /* close() was called: no more samples; the connection goes when idle. */
    int closing;
    /* The JavaScript handle was garbage collected: the memory goes when idle. */
    int finalized;
} Sampler;

typedef struct {
    Sampler *s;
    unsigned int stats;
    unsigned int flags;
    napi_async_work work;
    napi_deferred deferred;
    char *text;
    size_t len;
    int unchanged;
    char *error;
} Job;

/* ---- growing text buffer -------------------------------------------------- */

typedef struct { char *p; size_t len, cap; int oom; } Buf;

static int reserve(Buf *b, size_t more) {
    if (b->oom) return 0;
    if (b->len + more <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 64 * 1024;
    while (cap < b->len + more) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) { b->oom = 1; return 0; }
    b->p = p;
    b->cap = cap;
    return 1;
}

static void put(Buf *b, const char *s, size_t n) {
    if (!reserve(b, n)) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts0(Buf *b, const char *s) { put(b, s, strlen(s)); }

static void putu(Buf *b, unsigned long long v) {
    char tmp[24];
    int i = sizeof tmp;
    do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put(b, tmp + i, sizeof tmp - i);
}

static void puti(Buf *b, long long v) {
    if (v < 0) { put(b, "-", 1); putu(b, 0ULL - (unsigned long long)v); } else putu(b, (unsigned long long)v);
}

/* One typed parameter's value as virsh prints it (vshGetTypedParamValue). */
static void putParam(Buf *b, const virTypedParameter *p) {
    char tmp[64];
    switch (p->type) {
    case VIR_TYPED_PARAM_INT: puti(b, p->value.i); break;
    case VIR_TYPED_PARAM_UINT: putu(b, p->value.ui); break;
    case VIR_TYPED_PARAM_LLONG: puti(b, p->value.l); break;
    case VIR_TYPED_PARAM_ULLONG: putu(b, p->value.ul); break;
    case VIR_TYPED_PARAM_DOUBLE: snprintf(tmp, sizeof tmp, "%f", p->value.d); puts0(b, tmp); break;
    case VIR_TYPED_PARAM_BOOLEAN: puts0(b, p->value.b ? "yes" : "no"); break;
    case VIR_TYPED_PARAM_STRING: if (p->value.s) puts0(b, p->value.s); break;
    default: break;
    }
}

/* ---- the worker thread ------------------------------------------------------ */

static char *lastError(const char *what) {
    const char *msg = NULL;
    virErrorPtr e = virGetLastError();
    if (e && e->message) msg = e->message;
    size_t n = strlen(what) + (msg ? strlen(msg) : 20) + 3;
    char *out = malloc(n);
    if (out) snprintf(out, n, "%s: %s", what, msg ? msg : "unknown libvirt error");
    return out;
}

static void execute(napi_env env, void *data) {
    (void)env;
    Job *j = data;
    Sampler *s = j->s;
    if (!s->conn) {
        /* Statistics only read: a read-only connection (as `virsh -r`), so
         * this one can never change a VM, engine-owned or not. */
        s->conn = virConnectOpenReadOnly(s->uri);
        if (!s->conn) { j->error = lastError("cannot connect to libvirt"); return; }
    }
    virDomainStatsRecordPtr *records = NULL;
    int n = virConnectGetAllDomainStats(s->conn, j->stats, &records, j->flags);
    if (n < 0) {
        j->error = lastError("domain statistics");
        /* A connection that died (libvirtd restarted) is opened again next time. */
        if (virConnectIsAlive(s->conn) != 1) { virConnectClose(s->conn); s->conn = NULL; }
        return;
    }
    Buf b = {0};
    reserve(&b, (size_t)n * 64 + 1);
    for (int i = 0; i < n; i++) {
        virDomainStatsRecordPtr r = records[i];
        puts0(&b, "Domain: '");
        const char *name = virDomainGetName(r->dom);
        puts0(&b, name ? name : "");
        put(&b, "'\n", 2);
        for (int k = 0; k < r->nparams; k++) {
            put(&b, "  ", 2);
            puts0(&b, r->params[k].field);
            put(&b, "=", 1);
            putParam(&b, &r->params[k]);
            put(&b, "\n", 1);
        }
        put(&b, "\n", 1);
    }
    virDomainStatsRecordListFree(records);
    if (b.oom) { free(b.p); j->error = strdup("domain statistics: out of memory"); return; }
    if (s->prev && s->prevLen == b.len && memcmp(s->prev, b.p, b.len) == 0) {
        free(b.p);
        j->unchanged = 1;
        return;
    }
    free(s->prev);
    s->prev = b.p;
    s->prevLen = b.len;
    j->text = b.p;
    j->len = b.len;
}

/* Called when no sample runs: drops the connection after close(), and the
 * memory once the handle is gone. */
static void settle(Sampler *s) {
    if (s->closing || s->finalized) {
        if (s->conn) { virConnectClose(s->conn); s->conn = NULL; }
        free(s->prev); s->prev = NULL; s->prevLen = 0;
    }
    if (s->finalized) { free(s->uri); free(s); }
}

static void complete(napi_env env, napi_status status, void *data) {
    Job *j = data;
    Sampler *s = j->s;
    napi_value v;
    s->busy = 0;
    if (status != napi_ok || j->error) {
        napi_value msg;
        napi_create_string_utf8(env, j->error ? j->error : "domain statistics: cancelled", NAPI_AUTO_LENGTH, &msg);
        napi_create_error(env, NULL, msg, &v);
        napi_reject_deferred(env, j->deferred, v);
    } else if (j->unchanged) {
        napi_get_null(env, &v);
        napi_resolve_deferred(env, j->deferred, v);
    } else {
        napi_create_string_utf8(env, j->text, j->len, &v);
        napi_resolve_deferred(env, j->deferred, v);
    }
    free(j->error);
    napi_delete_async_work(env, j->work);
    free(j);
    settle(s);
}

/* ---- JavaScript entry points ------------------------------------------------ */

#define THROW(env, msg) do { napi_throw_error((env), NULL, (msg)); return NULL; } while (0)

static void finalizeHandle(napi_env env, void *data, void *hint) {
    (void)env; (void)hint;
    Sampler *s = data;
    s->finalized = 1;
    if (!s->busy) settle(s);
}

static Sampler *handleOf(napi_env env, napi_value v) {
    Sampler *s = NULL;
    if (napi_get_value_external(env, v, (void **)&s) != napi_ok || !s) return NULL;
    return s;
}

static napi_value jsOpen(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value argv[1];
    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    size_t len = 0;
    if (argc < 1 || napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) THROW(env, "open(uri): uri must be a string");
    Sampler *s = calloc(1, sizeof *s);
    if (!s) THROW(env, "out of memory");
    s->uri = malloc(len + 1);
    if (!s->uri) { free(s); THROW(env, "out of memory"); }
    napi_get_value_string_utf8(env, argv[0], s->uri, len + 1, &len);
    napi_value h;
    napi_create_external(env, s, finalizeHandle, NULL, &h);
    return h;
}

/* The call's arguments (missing ones undefined) and the handle in the first. */
static Sampler *callArgs(napi_env env, napi_callback_info info, napi_value *argv, size_t n) {
    size_t argc = n;
    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    for (size_t i = argc; i < n; i++) napi_get_undefined(env, &argv[i]);
    return argc >= 1 ? handleOf(env, argv[0]) : NULL;
}

static napi_value jsSample(napi_env env, napi_callback_info info) {
    napi_value argv[3];
    Sampler *s = callArgs(env, info, argv, 3);
    uint32_t stats = 0, flags = 0;
    if (!s) THROW(env, "sample(handle, stats, flags): not a handle");
    if (napi_get_value_uint32(env, argv[1], &stats) != napi_ok || napi_get_value_uint32(env, argv[2], &flags) != napi_ok)
        THROW(env, "sample(handle, stats, flags): stats and flags must be numbers");
    if (s->closing) THROW(env, "sample: the handle is closed");
    if (s->busy) THROW(env, "sample: one is already running on this handle");
    Job *j = calloc(1, sizeof *j);
    if (!j) THROW(env, "out of memory");
    j->s = s;
    j->stats = stats;
    j->flags = flags;
    napi_value promise, name;
    napi_create_promise(env, &j->deferred, &promise);
    napi_create_string_utf8(env, "hostdeck:domstats", NAPI_AUTO_LENGTH, &name);
    if (napi_create_async_work(env, NULL, name, execute, complete, j, &j->work) != napi_ok || napi_queue_async_work(env, j->work) != napi_ok) {
        free(j);
        THROW(env, "sample: cannot queue the work");
    }
    s->busy = 1;
    return promise;
}

static napi_value jsClose(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    Sampler *s = callArgs(env, info, argv, 1);
    if (!s) THROW(env, "close(handle): not a handle");
    s->closing = 1;
    /* A running sample closes the connection when it completes. */
    if (!s->busy) settle(s);
    return NULL;
}

static void quiet(void *userData, virErrorPtr error) { (void)userData; (void)error; }

static napi_value init(napi_env env, napi_value exports) {
    /* libvirt's default error handler prints to stderr, under the full-screen UI. */
    virSetErrorFunc(NULL, quiet);
    napi_property_descriptor props[] = {
        { "open", NULL, jsOpen, NULL, NULL, NULL, napi_default, NULL },
        { "sample", NULL, jsSample, NULL, NULL, NULL, napi_default, NULL },
        { "close", NULL, jsClose, NULL, NULL, NULL, napi_default, NULL },
    };
    napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
    return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
