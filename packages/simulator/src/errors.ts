/**
 * Thrown by the simulator's own helpers when they are misused (not by the simulated API,
 * which answers with Flinks error bodies instead).
 */
export class SimulatorError extends Error {
  /** Marker that survives duplicate package copies; see {@link SimulatorError.isInstance}. */
  readonly flinkitSimulatorError = true;

  constructor(
    /** Stable snake_case code, e.g. `unknown_username`, `unknown_request_id`. */
    readonly code: string,
    message: string,
    /** True when calling again with other input can succeed. */
    readonly recoverable = true,
  ) {
    super(message);
    this.name = 'SimulatorError';
  }

  /** True for a SimulatorError from any copy of this package. */
  static isInstance(value: unknown): value is SimulatorError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { flinkitSimulatorError?: unknown }).flinkitSimulatorError === true
    );
  }
}
