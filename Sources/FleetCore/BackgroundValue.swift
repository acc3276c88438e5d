import Dispatch
import Foundation

/// A value made on a thread of its own (not a block on a global queue, which may wait for one of the few threads
/// those run at once), from the moment this is made; ``value()`` waits for it.
public final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    /// Starts making the value on a new thread.
    public init(_ make: @escaping @Sendable () -> Value) {
        Thread { [self] in
            result = make()
            done.signal()
        }
        .start()
    }

    /// The value, once made.
    public func value() -> Value {
        done.wait()
        done.signal()
        // Written before the signal that the wait above returned on.
        return result!
    }
}
