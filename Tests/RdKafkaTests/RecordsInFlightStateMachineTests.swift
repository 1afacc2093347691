import TestSupport
import Testing

@testable import RdKafka

/// The in-flight state machine, fed events directly: awaited senders' keys are numbers and
/// batches are plain objects.
@Suite("RecordsInFlight state machine")
struct RecordsInFlightStateMachineTests {
    final class Batch {}
    typealias Machine = RecordsInFlight.StateMachine<Batch>

    @Test("A record counts once accepted, not while it is handed over or once refused")
    func countsOnlyAccepted() {
        var machine = Machine()
        #expect(machine.handOver(awaiting: nil) == true)
        #expect(machine.outstanding == 0)
        #expect(machine.handedOver(accepted: true, awaiting: nil) == .none)
        #expect(machine.outstanding == 1)
        #expect(machine.handOver(awaiting: nil) == true)
        #expect(machine.handedOver(accepted: false, awaiting: nil) == .none)
        #expect(machine.outstanding == 1)
        machine.reported(count: 1, purged: 0, awaitingKeys: [])
        #expect(machine.outstanding == 0)
    }

    @Test("A report handled before its record was counted never makes the count lead")
    func reportBeforeCount() {
        var machine = Machine()
        #expect(machine.handOver(awaiting: 16) == true)
        // librdkafka reports the record while its sender is still inside the produce call.
        machine.reported(count: 1, purged: 0, awaitingKeys: [16])
        #expect(machine.outstanding == 0)
        #expect(machine.awaiting.isEmpty)
        #expect(machine.handedOver(accepted: true, awaiting: 16) == .none)
        #expect(machine.outstanding == 0)
        #expect(machine.awaiting.isEmpty, "an accepted record's departure does not register its sender again")
    }

    @Test("An awaited sender is registered before the hand-over and unregistered by its refusal")
    func awaitedRegistration() {
        var machine = Machine()
        #expect(machine.handOver(awaiting: 32) == true)
        #expect(machine.awaiting == [32])
        #expect(machine.handedOver(accepted: false, awaiting: 32) == .none)
        #expect(machine.awaiting.isEmpty)
        #expect(machine.handOver(awaiting: 32) == true)
        #expect(machine.handedOver(accepted: true, awaiting: 32) == .none)
        #expect(machine.awaiting == [32])
        machine.reported(count: 1, purged: 0, awaitingKeys: [32])
        #expect(machine.awaiting.isEmpty)
    }

    @Test("Closing refuses every later hand-over")
    func closedRefuses() {
        var machine = Machine()
        #expect(machine.close() == .sendersGone)
        #expect(machine.handOver(awaiting: nil) == false)
        #expect(machine.handOver(awaiting: 48) == false)
        #expect(machine.awaiting.isEmpty, "a refused hand-over registers nobody")
        #expect(machine.sendersInside == 0)
    }

    @Test("Closing waits for the senders inside; the last to leave releases it")
    func closingWaitsForSenders() {
        var machine = Machine()
        #expect(machine.handOver(awaiting: nil) == true)
        #expect(machine.handOver(awaiting: 64) == true)
        #expect(machine.close() == .waitForSenders)
        #expect(machine.handedOver(accepted: true, awaiting: nil) == .none)
        #expect(machine.handedOver(accepted: true, awaiting: 64) == .releaseCloser)
        #expect(machine.outstanding == 2)
    }

    @Test("Purged reports are counted across events")
    func purgedCount() {
        var machine = Machine()
        for _ in 0..<5 {
            #expect(machine.handOver(awaiting: nil) == true)
            _ = machine.handedOver(accepted: true, awaiting: nil)
        }
        machine.reported(count: 3, purged: 2, awaitingKeys: [])
        machine.reported(count: 2, purged: 1, awaitingKeys: [])
        #expect(machine.purgedReports == 3)
        #expect(machine.outstanding == 0)
    }

    @Test("Leftovers hand back every registered caller; fire-and-forget records count as dropped")
    func leftovers() {
        var machine = Machine()
        let batch = Batch()
        machine.batchStarted(batch)
        for key: UInt? in [nil, nil, 80, nil] {
            #expect(machine.handOver(awaiting: key) == true)
            _ = machine.handedOver(accepted: true, awaiting: key)
        }
        #expect(machine.registeredCallers == 2)
        #expect(machine.close() == .sendersGone)
        let leftovers = machine.takeLeftovers()
        #expect(leftovers.awaitingKeys == [80])
        #expect(leftovers.batches.count == 1 && leftovers.batches[0] === batch)
        #expect(leftovers.unreported == 4)
        // The awaited sender and one batch record were failed.
        machine.leftoversFailed(unreported: leftovers.unreported, failedCallers: 2)
        #expect(machine.droppedAtClose == 2)
        #expect(machine.outstanding == 0)
        #expect(machine.registeredCallers == 0)
    }

    @Test("A finished batch is no longer registered")
    func batchEnds() {
        var machine = Machine()
        let batch = Batch()
        machine.batchStarted(batch)
        machine.batchEnded(batch)
        #expect(machine.registeredCallers == 0)
    }

    /// A record as librdkafka and its sender see it, for the model below.
    private struct ModelRecord {
        /// The awaited sender's key, or `nil` for a fire-and-forget or batch record.
        var key: UInt?
        /// librdkafka decided: accepted (it holds the record) or refused.
        var decided: Bool?
        /// Its sender has left the produce call.
        var senderLeft = false
        var reported = false
    }

    @Test(
        "Every interleaving of produce, refusal, report, purge and shutdown keeps the count, the registrations and the close",
        arguments: 0..<400)
    func randomInterleavings(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var machine = Machine()
        var records: [ModelRecord] = []
        // Awaited senders: each awaits one record at a time and reuses its key, as a task's
        // continuation does.
        let keys: [UInt] = [16, 32, 48, 64]
        var busyKeys = Set<UInt>()
        var closed = false
        var closerReleased = false
        var purged = 0
        var batches: [Batch] = []

        for step in 0..<300 {
            let context = "seed \(seed), step \(step)"
            switch Int.random(in: 0..<9, using: &random) {
            case 0, 1:
                // A sender starts handing a record over.
                let free = keys.filter { !busyKeys.contains($0) }
                let key: UInt? = Bool.random(using: &random) ? free.randomElement(using: &random) : nil
                let entered = machine.handOver(awaiting: key)
                #expect(entered == !closed, "\(context): hand-over refused exactly once closed")
                if entered {
                    records.append(ModelRecord(key: key))
                    if let key { busyKeys.insert(key) }
                }
            case 2:
                // librdkafka decides about a record inside its produce call.
                guard let index = records.indices.filter({ records[$0].decided == nil }).randomElement(using: &random) else { break }
                records[index].decided = Int.random(in: 0..<4, using: &random) != 0
            case 3:
                // A sender whose record was decided leaves the produce call.
                guard
                    let index = records.indices.filter({ records[$0].decided != nil && !records[$0].senderLeft })
                        .randomElement(using: &random)
                else { break }
                records[index].senderLeft = true
                let accepted = records[index].decided == true
                let departure = machine.handedOver(accepted: accepted, awaiting: records[index].key)
                let last = !records.contains { !$0.senderLeft }
                if departure == .releaseCloser {
                    #expect(closed && !closerReleased && last, "\(context): only the last sender of a closing producer releases it")
                    closerReleased = true
                } else {
                    #expect(!(closed && last && !closerReleased), "\(context): the last sender must release the waiting closer")
                }
                if !accepted, let key = records[index].key { busyKeys.remove(key) }
            case 4, 5:
                // A delivery event reports some accepted records, possibly purged.
                let candidates = records.indices.filter { records[$0].decided == true && !records[$0].reported }
                guard !candidates.isEmpty else { break }
                let chosen = candidates.shuffled(using: &random).prefix(Int.random(in: 1...candidates.count, using: &random))
                let purgedHere = Int.random(in: 0...chosen.count, using: &random)
                var awaitingKeys: [UInt] = []
                for index in chosen {
                    records[index].reported = true
                    if let key = records[index].key {
                        awaitingKeys.append(key)
                    }
                }
                machine.reported(count: chosen.count, purged: purgedHere, awaitingKeys: awaitingKeys)
                purged += purgedHere
                // Resumed: each awaited sender may send again.
                for key in awaitingKeys { busyKeys.remove(key) }
            case 6:
                if Bool.random(using: &random) || batches.isEmpty {
                    let batch = Batch()
                    batches.append(batch)
                    machine.batchStarted(batch)
                } else {
                    machine.batchEnded(batches.removeFirst())
                }
            case 7:
                if !closed && Int.random(in: 0..<6, using: &random) == 0 {
                    closed = true
                    let inside = records.contains { !$0.senderLeft }
                    let closing = machine.close()
                    #expect(closing == (inside ? .waitForSenders : .sendersGone), "\(context)")
                    closerReleased = !inside
                }
            default:
                break
            }

            // What holds after every event.
            let held = records.filter { $0.decided == true && !$0.reported }.count
            let counted = records.filter { $0.decided == true && $0.senderLeft }.count
            let reported = records.filter(\.reported).count
            let inWindow = records.contains { $0.decided == true && !$0.senderLeft }
            #expect(machine.outstanding <= held, "\(context): the count never leads what librdkafka holds")
            #expect(machine.outstanding == max(0, counted - reported), "\(context): counted on departure, down on report")
            if !inWindow { #expect(machine.outstanding == held, "\(context): exact once no sender is in the window") }
            let registered = Set(
                records.compactMap { record -> UInt? in
                    guard let key = record.key, !record.reported, record.decided != false || !record.senderLeft else { return nil }
                    return key
                })
            #expect(machine.awaiting == registered, "\(context): a key is registered from its hand-over to its report or refusal")
            #expect(machine.purgedReports == purged, "\(context)")
            #expect(machine.sendersInside == records.filter { !$0.senderLeft }.count, "\(context)")
        }

        // Shutdown: close, let every sender out, then take what was never reported.
        if !closed {
            closed = true
            closerReleased = machine.close() == .sendersGone
        }
        #expect(machine.handOver(awaiting: nil) == false, "seed \(seed): closed for good")
        for index in records.indices where !records[index].senderLeft {
            records[index].decided = records[index].decided ?? true
            records[index].senderLeft = true
            if machine.handedOver(accepted: records[index].decided == true, awaiting: records[index].key) == .releaseCloser {
                #expect(!closerReleased, "seed \(seed): the closer is released once")
                closerReleased = true
            }
        }
        #expect(closerReleased, "seed \(seed): the closer is released once every sender left")
        let leftovers = machine.takeLeftovers()
        let unreported = records.filter { $0.decided == true && !$0.reported }
        #expect(leftovers.unreported == unreported.count, "seed \(seed)")
        #expect(
            Set(leftovers.awaitingKeys) == Set(unreported.compactMap(\.key)), "seed \(seed): every unreported awaited sender is handed back"
        )
        #expect(leftovers.awaitingKeys.count == unreported.compactMap(\.key).count, "seed \(seed)")
        #expect(leftovers.batches.count == batches.count, "seed \(seed)")
        #expect(machine.outstanding == 0 && machine.registeredCallers == 0, "seed \(seed)")
    }
}
