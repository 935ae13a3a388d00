export { StowageError, isStowageError } from './errors.js';
