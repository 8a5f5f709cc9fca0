// Registration with an oVirt engine: the public surface for the CLI, the
// Engine screen, the dashboard header and the console start.
export { engineState, vmActionsLocked, readRegistration, stateWords, type EngineStatus, type EngineMode, type EngineApproval, type StoredRegistration } from './state.ts';
export {
  registerWithEngine, unregisterFromEngine, bootRegistrationValues, unattendedRegistration, unattendedInput, prepareRegistration, defaultIdentity, EngineInputError,
  type EngineEnv, type EngineServices, type RegisterResult, type UnregisterResult, type UnattendedOutcome,
} from './register.ts';
export { EngineError, type EngineErrorKind } from './errors.ts';
export { enginePaths, type EnginePaths } from './paths.ts';
export { parseUnattended, splitCmdline } from './unattended-args.ts';
export type { CaInfo } from './trust.ts';
