export { StowageError, isStowageError } from './errors.js';
export { loadOrCreateIdentity, IDENTITY_FILE } from './identity.js';
export { ConfigError, parseHostPort, readConfigFile, splitList } from './config.js';
export { serveStatic, WEB_ROOT } from './static-files.js';
export { guardWrites, isDiskFull, REOPEN_ROOM, type LevelGuard } from './level-guard.js';
export { allowedHosts, checkHostAndOrigin, hostName, requestUrl, type GuardRefusal } from './http-guard.js';
