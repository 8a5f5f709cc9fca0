// Where hostdeck looks for systemd's directories: `/` on a host;
// HOSTDECK_SYSTEMD_ROOT points at a temporary root in tests (its
// run/systemd/system says systemd runs, etc/systemd/system takes drop-ins).
export const systemdRoot = (): string => (process.env.HOSTDECK_SYSTEMD_ROOT ?? '').replace(/\/$/, '');
export const systemdRunDir = (): string => `${systemdRoot()}/run/systemd/system`;
