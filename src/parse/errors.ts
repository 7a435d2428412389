export { LogFormatError } from '../errors.js';
