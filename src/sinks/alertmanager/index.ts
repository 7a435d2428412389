export { createAlertmanagerPusher, type AlertmanagerPusher, type AlertmanagerOptions, type AlertmanagerStats } from './pusher.js';
export { alertmanagerEndpoint } from './alertmanagerUrl.js';
export { toPostableAlert, ALERT_NAME, type PostableAlert, type AlertSnapshot } from './postableAlert.js';
