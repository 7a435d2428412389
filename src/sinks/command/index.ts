export { createAlertCommand, type AlertCommand, type AlertCommandOptions, type AlertCommandStats } from './alertCommand.js';
export { alertCommandInput } from './alertPayload.js';
