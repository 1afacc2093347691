import CoreMetrics
import Dispatch
import Foundation
import Logging
import Tracing

/// What a producer needs for statistics, metrics, tracing and service lifecycle, made once
/// from its configuration. The producer's core calls in from the thread serving reports; everything slow
/// (decoding a statistics document) moves to a queue of its own.
final class ProducerIntegrations: Sendable {
    let statistics = StatisticsBroadcast()
    let metrics: ProducerMetrics?
    /// `nil` when tracing is off (a `NoOpTracer`), so an untraced send costs one comparison.
    let tracer: (any Tracer)?
    let gracefulShutdownTimeout: Duration
    /// `nil` without interceptors, so that a delivery event costs one comparison for them.
    let interceptors: ProducerInterceptors?
    private let logger: Logger
    /// Decodes statistics documents in order, away from the drain thread.
    private let decoding = DispatchQueue(label: "rdkafka-statistics")

    init(configuration: ProducerConfiguration, logger: Logger) {
        metrics = configuration.metrics.map(ProducerMetrics.init)
        let tracer = configuration.tracer ?? InstrumentationSystem.tracer
        self.tracer = tracer is NoOpTracer ? nil : tracer
        gracefulShutdownTimeout = configuration.gracefulShutdownTimeout
        interceptors = ProducerInterceptors(configuration.interceptors)
        self.logger = logger
    }

    /// Takes a statistics document, where reports are served; decodes it later, and only for
    /// readers.
    func received(statisticsJSON json: String) {
        guard metrics != nil || statistics.hasReaders else { return }
        decoding.async { [self] in
            do {
                let decoded = try ProducerStatistics(json: Data(json.utf8))
                metrics?.record(decoded)
                statistics.publish(decoded)
            } catch {
                logger.warning("librdkafka statistics could not be decoded", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Ends the statistics sequences once the producer has shut down. Blocks until documents
    /// already being decoded are published, so that none comes after the end: call it off the
    /// cooperative pool.
    func finish() {
        decoding.sync { statistics.finish() }
    }
}
