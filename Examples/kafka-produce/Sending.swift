import RdKafka

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands records to the producer as fast as it takes them, noting each in the ledger.
///
/// Records go through `enqueue`, which returns as soon as librdkafka holds the record, with no
/// suspension (its room-in-the-queue path is inlined and synchronous); only when the local queue
/// is full does it wait for room. Outcomes arrive on the producer's `deliveryReports`, matched
/// back to the ledger by correlation id (the record's index).
struct RecordSender {
    let producer: KafkaProducer
    let ledger: Ledger
    let topic: String
    /// The partition every record goes to; `nil` lets the partitioner choose.
    let partition: Int32?
    let key: [UInt8]?
    let headers: [ProducerRecord.Header]
    /// Encodes values for --format json and avro; `nil` sends them as they are.
    let valueEncoder: ValueEncoder?
    let quiet: Bool

    /// Sends `count` records carrying the same generated value.
    func sendGenerated(count: Int, valueSize: Int) async {
        // One value shared by all records: building a fresh one each time would measure the
        // allocator rather than the producer. The letters make it readable in a consumer.
        let value = (0..<valueSize).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let payload = String(decoding: value, as: UTF8.self)
        var record = ProducerRecord(topic: topic, key: key, value: value, headers: headers, partition: partition)
        for id in 0..<count {
            if StopRequest.shared.isRequested { return }
            if let valueEncoder {
                do {
                    record.value = try valueEncoder.encodeGenerated(id: id, payload: payload)
                } catch {
                    // The schema does not fit the generated objects: every record would fail alike.
                    ledger.rejectedInput(because: "\(error)")
                    printError("stopped sending: generated value \(id) could not be encoded: \(error)")
                    return
                }
            }
            guard await send(record, id: id) else { return }
        }
    }

    /// Sends one record per line of standard input; with a separator, the line's text before
    /// its first occurrence is the key and the text after it the value.
    ///
    /// A line longer than `maximumLineLength` (message.max.bytes: librdkafka would refuse it)
    /// is dropped as it is read, counted as failed and named, and the lines after it are sent.
    func sendLines(keySeparator: String?, maximumLineLength: Int) async {
        if StandardStreams.inputWasClosed {
            printError("standard input is closed: there are no lines to send (give --count N to send generated records)")
            return
        }
        let lines = StandardInputLines(maximumLineLength: maximumLineLength)
        let separator = keySeparator.map { Array($0.utf8) }
        // One record reused for every line: the producer copies what it sends, so once an
        // enqueue returns its key and value are not shared, and refilling them reuses their
        // storage instead of allocating two arrays per line.
        var record = ProducerRecord(
            topic: topic, key: separator == nil ? key : [], value: [], headers: headers, partition: partition)
        var id = 0
        var lineNumber = 0
        do {
            while try await lines.fill() {
                while let line = lines.nextLine() {
                    // The lines already read but not sent are left, as unread input would be.
                    if StopRequest.shared.isRequested { return }
                    lineNumber += 1
                    let bytes: UnsafeRawBufferPointer
                    switch line {
                    case .text(let text):
                        bytes = text
                    case .tooLong(let length):
                        rejectLongLine(lineNumber, length: length, limit: maximumLineLength)
                        continue
                    }
                    if let separator {
                        guard let split = Self.firstOccurrence(of: separator, in: bytes) else {
                            // Counted rather than fatal: one bad line should not lose the lines after it.
                            ledger.rejectedInput(because: "input line without the key separator '\(keySeparator ?? "")'")
                            if !quiet { printError("line \(lineNumber) has no key separator '\(keySeparator ?? "")'; not sent") }
                            continue
                        }
                        record.key?.refill(from: UnsafeRawBufferPointer(rebasing: bytes[..<split]))
                        record.value?.refill(from: UnsafeRawBufferPointer(rebasing: bytes[(split + separator.count)...]))
                    } else {
                        record.value?.refill(from: bytes)
                    }
                    if let valueEncoder {
                        do {
                            record.value = try valueEncoder.encode(line: record.value ?? [])
                        } catch {
                            ledger.rejectedInput(because: "\(error)")
                            if !quiet { printError("line \(lineNumber) could not be encoded; not sent: \(error)") }
                            continue
                        }
                    }
                    guard await send(record, id: id) else { return }
                    id += 1
                }
            }
        } catch {
            // The rest of the input is lost: count that as a failure so the summary and the exit
            // status say so.
            ledger.rejectedInput(because: "\(error)")
        }
    }

    private func rejectLongLine(_ lineNumber: Int, length: Int, limit: Int) {
        ledger.rejectedInput(because: "input line longer than message.max.bytes (\(limit) bytes)")
        if !quiet {
            printError("line \(lineNumber) is \(length) bytes, more than message.max.bytes (\(limit)); not sent")
        }
    }

    /// Enqueues one record, suspending only while the local queue is full. Returns `false`
    /// when sending should stop.
    private func send(_ record: ProducerRecord, id: Int) async -> Bool {
        ledger.sending(id)
        do {
            try await producer.enqueue(record, correlationID: UInt64(id))
            return true
        } catch {
            ledger.refused(id, because: error)
            // An oversized or malformed record says nothing about the next one. Anything else
            // (a producer shut down or in a fatal state, a local queue that stayed full for the
            // whole enqueue timeout) would refuse every later record too.
            let code = (error as? KafkaError)?.code
            if code == .messageSizeTooLarge || code == .invalidRecord { return true }
            printError("stopped sending: \(error)")
            return false
        }
    }

    /// Where `separator` first occurs in `bytes`, found with `memchr` for its first byte.
    static func firstOccurrence(of separator: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let first = separator.first, let base = bytes.baseAddress else { return nil }
        var from = 0
        while bytes.count - from >= separator.count {
            guard let found = memchr(base + from, Int32(first), bytes.count - from - separator.count + 1) else {
                return nil
            }
            let index = base.distance(to: UnsafeRawPointer(found))
            let matches = separator.withUnsafeBytes { wanted in
                wanted.baseAddress.map { memcmp(base + index, $0, separator.count) == 0 } ?? false
            }
            if matches { return index }
            from = index + 1
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// Replaces the contents with `bytes`, in the same storage when it is not shared.
    mutating func refill(from bytes: UnsafeRawBufferPointer) {
        removeAll(keepingCapacity: true)
        append(contentsOf: bytes)
    }
}
