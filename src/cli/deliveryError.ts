/** Output that was not delivered (InfluxDB points still unwritten at exit): one line, exit code 1. */
export class DeliveryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
