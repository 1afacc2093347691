internal import CRdKafka
import Foundation

/// The producer's C side: a ``ClientHandle`` plus a cache of topic handles, and the calls the
/// producer makes on them. Everything here is thread-safe.
///
/// `@unchecked Sendable`: the mutable state (the topic cache) is behind a lock; the handles
/// are librdkafka's thread-safe objects.
package final class ProducerClient: @unchecked Sendable {
    package let handle: ClientHandle
    /// Topic handles by name, created on first use and destroyed with the client, so no send
    /// converts or looks up the topic in librdkafka twice. Unbounded on purpose: librdkafka keeps
    /// its own topic and partition state for every topic used, which dwarfs a handle, and the
    /// drain's name cache relies on a handle's address naming one topic for the client's life
    /// (the Performance Tips article says what many topics cost).
    private let topics = LockedValue(TopicCache())
    /// Per-topic settings and Swift partitioners, applied when a topic's handle is created.
    /// Owns the partitioner callbacks librdkafka's topics point to: they live as long as this
    /// client, which outlives librdkafka's handle (``destroy()`` destroys it).
    let topicSettings: TopicSettingsTable

    private struct TopicCache {
        var handles: [String: OpaquePointer] = [:]
        /// The topic of the previous send: most producers write one topic in a row, and
        /// comparing a string with itself skips hashing it.
        var last: (name: String, handle: OpaquePointer)?
    }

    package init(handle: ClientHandle, topicSettings: TopicSettingsTable = TopicSettingsTable()) {
        self.handle = handle
        self.topicSettings = topicSettings
    }

    /// Enqueues one record with `opaque` as its per-message pointer. A `nil` key or value is a
    /// null one (a tombstone for the value), distinct from an empty one.
    ///
    /// - Parameters:
    ///   - partition: An explicit partition, or `nil` for the configured partitioner.
    ///   - timestampMilliseconds: Milliseconds since 1970; 0 is librdkafka's "now".
    /// - Returns: `nil` when librdkafka accepted the record (its delivery report will carry
    ///   `opaque` exactly once), or why it did not (then no report will come).
    package func produce(
        topic topicName: String,
        partition explicitPartition: Int32?,
        key: [UInt8]?,
        value: [UInt8]?,
        timestampMilliseconds timestamp: Int64,
        headers: consuming NativeHeaderList?,
        opaque: UnsafeMutableRawPointer?
    ) -> NativeError? {
        if let explicitPartition, explicitPartition < 0 {
            // -1 would silently mean "let the partitioner choose" to librdkafka.
            return NativeError(
                code: NativeErrorCode.invalidRecord,
                message: "partition \(explicitPartition) is negative; use nil to let the partitioner choose",
                topic: topicName, partition: explicitPartition)
        }
        let topic: OpaquePointer
        switch topicHandle(named: topicName) {
        case .success(let handle): topic = handle
        case .failure(let error): return error
        }
        let headerList: OpaquePointer?
        switch consume headers {
        case .some(let list): headerList = list.take()
        case .none: headerList = nil
        }
        let partition = explicitPartition ?? crdkafka_partition_ua()
        let result = value.withOptionalBytes { value, valueLength in
            key.withOptionalBytes { key, keyLength in
                crdkafka_produce(
                    handle.pointer, topic, partition, value, valueLength, key, keyLength,
                    timestamp, headerList, opaque
                )
            }
        }
        guard result != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        // librdkafka takes the headers only when it accepts the record.
        if let headerList { rd_kafka_headers_destroy(headerList) }
        return Self.explain(
            result, topic: topicName, partition: explicitPartition, keyAndValueSize: (key?.count ?? 0) + (value?.count ?? 0))
    }

    /// Waits until every enqueued record has been reported, or `milliseconds` passed.
    /// Blocks: call it off the cooperative pool. With the event API this only waits; the
    /// delivery drain must keep consuming reports meanwhile.
    package func flush(milliseconds: Int32) -> Bool {
        rd_kafka_flush(handle.pointer, milliseconds) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Fails the records still waiting in librdkafka's queues (`queued`) and those in requests
    /// awaiting a broker's answer (`inFlight`); each gets a report with a purge error. Blocks
    /// until librdkafka's threads have purged, so that every such report is queued when it
    /// returns. Call it off the cooperative pool.
    package func purge(queued: Bool, inFlight: Bool) -> NativeError? {
        var flags: Int32 = 0
        if queued { flags |= Int32(RD_KAFKA_PURGE_F_QUEUE) }
        if inFlight { flags |= Int32(RD_KAFKA_PURGE_F_INFLIGHT) }
        let result = rd_kafka_purge(handle.pointer, flags)
        return result == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : NativeError(result)
    }

    /// Records and events not yet reported to the application.
    package var outstandingCount: Int {
        Int(rd_kafka_outq_len(handle.pointer))
    }

    /// The fatal error that stopped the producer, if one did.
    package var fatalError: NativeError? {
        var reason = ReasonBuffer()
        let code = reason.withPointer { rd_kafka_fatal_error(handle.pointer, $0, $1) }
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return NativeError(code: code.rawValue, message: reason.text, isRetriable: false, isFatal: true)
    }

    /// Hands librdkafka an OAUTHBEARER token; returns librdkafka's refusal, if any.
    /// - Parameters:
    ///   - lifetimeMilliseconds: When the token expires, in milliseconds since 1970.
    ///   - extensions: SASL extensions as name/value pairs, in the order to send them.
    package func setOAuthBearerToken(
        _ value: String, lifetimeMilliseconds: Int64, principal: String, extensions: [(name: String, value: String)]
    ) -> NativeError? {
        let pairs: [String] = extensions.flatMap { [$0.name, $0.value] }
        let cStrings = pairs.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var extensionPointers = cStrings.map { UnsafePointer($0) }
        var reason = ReasonBuffer()
        let result = reason.withPointer {
            rd_kafka_oauthbearer_set_token(
                handle.pointer, value, lifetimeMilliseconds, principal, &extensionPointers, extensionPointers.count, $0, $1)
        }
        guard result != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return NativeError(
            code: NativeErrorCode.authentication,
            message: "librdkafka refused the OAUTHBEARER token: \(reason.text)",
            configurationKey: "sasl.mechanisms")
    }

    /// Tells librdkafka the token provider failed; librdkafka reports it and asks again later.
    package func setOAuthBearerTokenFailure(_ reason: String) {
        _ = rd_kafka_oauthbearer_set_token_failure(handle.pointer, reason)
    }

    /// Asks a broker for cluster metadata, blocking up to `milliseconds`: succeeding means a
    /// connection was made and, with TLS or SASL, that the handshake and authentication passed.
    package func requestMetadata(milliseconds: Int32) -> NativeError? {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(handle.pointer, 0, nil, &metadata, milliseconds)
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        guard result != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return NativeError(result)
    }

    /// Destroys the topic handles and then the client. Blocks; call it once, off the pool.
    package func destroy() {
        let handles = topics.withLock { cache in
            defer { cache = TopicCache() }
            return Array(cache.handles.values)
        }
        for topic in handles { rd_kafka_topic_destroy(topic) }
        handle.destroy()
    }

    func topicHandle(named name: String) -> Result<OpaquePointer, NativeError> {
        topics.withLock { cache in
            if let last = cache.last, last.name == name { return .success(last.handle) }
            if let topic = cache.handles[name] {
                cache.last = (name, topic)
                return .success(topic)
            }
            if let problem = Self.problem(withTopicName: name) {
                return .failure(NativeError(code: NativeErrorCode.invalidRecord, message: problem, topic: name))
            }
            let topic: OpaquePointer
            switch makeTopicHandle(named: name) {
            case .success(let created): topic = created
            case .failure(let error): return .failure(error)
            }
            cache.handles[name] = topic
            cache.last = (name, topic)
            return .success(topic)
        }
    }

    /// Kafka's rule for topic names: 1 to 249 characters of ASCII letters, digits, '.', '_'
    /// and '-', and not "." or "..".
    package static func problem(withTopicName name: String) -> String? {
        if name.isEmpty { return "the topic name is empty" }
        if name == "." || name == ".." { return "'\(name)' is not a legal topic name" }
        if name.utf8.count > 249 { return "the topic name is \(name.utf8.count) bytes long; Kafka allows 249" }
        let legal = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        return legal ? nil : "'\(name)' is not a legal topic name: only ASCII letters, digits, '.', '_' and '-' are allowed"
    }

    private static func explain(
        _ code: rd_kafka_resp_err_t, topic: String, partition: Int32?, keyAndValueSize: Int
    ) -> NativeError {
        var error = NativeError(code, topic: topic, partition: partition)
        switch error.code {
        case NativeErrorCode.messageSizeTooLarge:
            error.message = "the record (\(keyAndValueSize) bytes of key and value) is larger than message.max.bytes allows"
            error.configurationKey = "message.max.bytes"
        case NativeErrorCode.unknownPartition:
            if let partition {
                error.message = "partition \(partition) does not exist in topic '\(topic)'"
            } else {
                error.message =
                    "the partitioner chose no partition of topic '\(topic)' (a custom partitioner threw or returned one out of range)"
            }
        case NativeErrorCode.queueFull:
            error.message = "the local queue is full (queue.buffering.max.messages / queue.buffering.max.kbytes)"
        case NativeErrorCode.state:
            // The one state librdkafka refuses a send in: a transactional producer between transactions.
            error.message =
                "a transactional producer sends only inside a transaction: call beginTransaction() (or use withTransaction) first"
            error.configurationKey = "transactional.id"
        default:
            break
        }
        return error
    }
}

extension Optional where Wrapped == [UInt8] {
    /// Lends the bytes' address and count: `nil` for no bytes at all, and a valid address for
    /// an empty array, because librdkafka tells a null value (tombstone) from an empty one.
    func withOptionalBytes<Result>(_ body: (UnsafeRawPointer?, Int) -> Result) -> Result {
        guard let bytes = self else { return body(nil, 0) }
        return bytes.withUnsafeBytes { buffer in
            body(buffer.baseAddress ?? emptyBytesAddress, buffer.count)
        }
    }
}

/// A valid address for zero bytes.
private nonisolated(unsafe) let emptyBytesAddress = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))
