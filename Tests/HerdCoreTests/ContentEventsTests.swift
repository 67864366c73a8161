import HerdCore
import Synchronization
import Testing

@Suite("Content change events")
struct ContentEventsTests {
    @Test("every subscriber sees every change, in order, before publish returns")
    func delivery() {
        let events = ContentEvents()
        events.publish(.viewCounts)  // before any subscriber: nobody to tell, nothing kept
        let first = Mutex<[ContentChanged]>([])
        let second = Mutex<[ContentChanged]>([])
        events.subscribe { change in first.withLock { $0.append(change) } }
        events.subscribe { change in second.withLock { $0.append(change) } }
        events.publish(.video(id: 7))
        #expect(first.withLock { $0 } == [.video(id: 7)])
        events.publish(.channel(id: 2))
        events.publish(.instanceSettings)
        let expected: [ContentChanged] = [.video(id: 7), .channel(id: 2), .instanceSettings]
        #expect(first.withLock { $0 } == expected)
        #expect(second.withLock { $0 } == expected)
    }
}
