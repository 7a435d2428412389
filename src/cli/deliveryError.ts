/**
 * Output that was not delivered (InfluxDB points left at exit, a failed `--on-alert` command,
 * an alert Alertmanager never got): one line per output in `message`, exit code 1.
 */
export class DeliveryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
