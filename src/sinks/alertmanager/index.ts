export {
  createAlertmanagerPusher,
  type AlertmanagerPusher,
  type AlertmanagerOptions,
  type AlertmanagerStats,
  type AlertmanagerUrlStats,
} from './pusher.js';
export { alertmanagerEndpoint } from './alertmanagerUrl.js';
export { toPostableAlert, ALERT_NAME, type PostableAlert, type AlertSnapshot } from './postableAlert.js';
