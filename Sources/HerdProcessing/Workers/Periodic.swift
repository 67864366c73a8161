import Logging
import ServiceLifecycle

/// A periodic service's loop: one round now, then one every `interval`, until a graceful shutdown; a round that
/// fails is logged (as `failure`) and the next one comes at its time.
func repeatUntilShutdown(
    every interval: Duration, logger: Logger, failure: Logger.Message,
    _ round: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await round()
            } catch {
                logger.warning(failure, metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
