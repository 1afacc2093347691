import Testing

@testable import RdKafkaSchemaRegistry

struct SingleFlightTableTests {
    struct Failure: Error {}

    typealias Table = SingleFlightTable<String, Int, String>

    @Test("The first lookup of a key starts a fetch; lookups while it is under way join it")
    func concurrentLookupsJoinOneFetch() {
        var table = Table()
        var starts = 0
        guard
            case .started(let flight, let generation) = table.lookup(
                "a",
                start: {
                    starts += 1; return "flight-\($0)"
                })
        else {
            Issue.record("the first lookup did not start a fetch")
            return
        }
        for _ in 0..<49 {
            guard
                case .joined(let joined) = table.lookup(
                    "a",
                    start: {
                        starts += 1; return "other-\($0)"
                    })
            else {
                Issue.record("a lookup during the fetch did not join it")
                return
            }
            #expect(joined == flight)
        }
        #expect(starts == 1)
        #expect(table.joiners(of: "a") == 49)
        table.land("a", generation: generation, with: .success(7))
        #expect(table.joiners(of: "a") == 0)
        guard case .cached(let value) = table.lookup("a", start: { _ in "late" }) else {
            Issue.record("a lookup after the fetch landed was not served from the cache")
            return
        }
        #expect(value == 7)
    }

    @Test("A failed fetch is forgotten, so the next lookup starts a new one")
    func failureIsNotCached() {
        var table = Table()
        guard case .started(_, let first) = table.lookup("a", start: { "f\($0)" }) else { return }
        table.land("a", generation: first, with: .failure(Failure()))
        guard case .started(let flight, let second) = table.lookup("a", start: { "f\($0)" }) else {
            Issue.record("the lookup after a failure did not start a new fetch")
            return
        }
        #expect(second != first)
        #expect(flight == "f\(second)")
        #expect(table.cachedValue(for: "a") == nil)
    }

    @Test("A landing for a generation no longer in flight changes nothing")
    func staleLandingIsIgnored() {
        var table = Table()
        guard case .started(_, let first) = table.lookup("a", start: { "f\($0)" }) else { return }
        table.land("a", generation: first, with: .failure(Failure()))
        guard case .started(_, let second) = table.lookup("a", start: { "f\($0)" }) else { return }
        table.land("a", generation: first, with: .success(1))
        #expect(table.cachedValue(for: "a") == nil)
        table.land("a", generation: second, with: .success(2))
        #expect(table.cachedValue(for: "a") == 2)
    }

    @Test("Keys are independent: a fetch for one does not serve another")
    func keysAreIndependent() {
        var table = Table()
        guard case .started(_, let generation) = table.lookup("a", start: { "f\($0)" }) else { return }
        guard case .started = table.lookup("b", start: { "f\($0)" }) else {
            Issue.record("a lookup of another key joined the first key's fetch")
            return
        }
        table.land("a", generation: generation, with: .success(1))
        #expect(table.cachedValue(for: "b") == nil)
    }

    @Test("A stored value is served, but never replaces a fetch under way")
    func storeFillsOnlyAbsentKeys() {
        var table = Table()
        table.store(5, for: "a")
        #expect(table.cachedValue(for: "a") == 5)
        guard case .started(_, let generation) = table.lookup("b", start: { "f\($0)" }) else { return }
        table.store(9, for: "b")
        #expect(table.joiners(of: "b") == 0)
        #expect(table.cachedValue(for: "b") == nil)
        table.land("b", generation: generation, with: .success(3))
        #expect(table.cachedValue(for: "b") == 3)
    }
}
