// The host side of registration with an oVirt engine: state, paths, input
// checks and errors (the use cases are in src/core/engine.ts).
export { engineState, vmActionsLocked, readRegistration, stateWords, type EngineStatus, type EngineMode, type EngineApproval, type StoredRegistration } from './state.ts';
export { prepareRegistration, defaultIdentity, EngineInputError, type EngineEnv } from './register.ts';
export { EngineError, type EngineErrorKind } from './errors.ts';
export { enginePaths, type EnginePaths } from './paths.ts';
export { parseUnattended, splitCmdline, unattendedInput, bootRegistrationValues } from './unattended-args.ts';
export type { CaInfo } from './trust.ts';
