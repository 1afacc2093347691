import RdKafka

/// Hands records to the producer as fast as it takes them, noting each in the ledger.
///
/// Records go through `enqueue`, which returns as soon as librdkafka holds the record and
/// suspends only while its local queue is full; outcomes arrive on the producer's
/// `deliveryReports`, matched back to the ledger by correlation id (the record's index).
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
        for id in 0..<count {
            var record = ProducerRecord(topic: topic, key: key, value: value, headers: headers, partition: partition)
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
    func sendLines(keySeparator: String?) async {
        var id = 0
        var lineNumber = 0
        do {
            for try await line in StandardInputLines() {
                lineNumber += 1
                var record = ProducerRecord(topic: topic, key: key, value: line, headers: headers, partition: partition)
                if let keySeparator {
                    guard let range = line.firstRange(of: keySeparator.utf8) else {
                        // Counted rather than fatal: one bad line should not lose the lines after it.
                        ledger.rejectedInput(because: "input line without the key separator '\(keySeparator)'")
                        if !quiet { printError("line \(lineNumber) has no key separator '\(keySeparator)'; not sent") }
                        continue
                    }
                    record.key = Array(line[..<range.lowerBound])
                    record.value = Array(line[range.upperBound...])
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
        } catch {
            // The rest of the input is lost: count that as a failure so the summary and the exit
            // status say so.
            ledger.rejectedInput(because: "\(error)")
        }
    }

    /// Enqueues one record. Returns `false` when sending should stop.
    private func send(_ record: ProducerRecord, id: Int) async -> Bool {
        ledger.sending(id, at: .now)
        do {
            try await producer.enqueue(record, correlationID: UInt64(id))
            return true
        } catch {
            ledger.refused(because: error)
            // An oversized or malformed record says nothing about the next one. Anything else
            // (a producer shut down or in a fatal state, a local queue that stayed full for the
            // whole enqueue timeout) would refuse every later record too.
            let code = (error as? KafkaError)?.code
            if code == .messageSizeTooLarge || code == .invalidRecord { return true }
            printError("stopped sending: \(error)")
            return false
        }
    }
}
