// CreateCall: how a resource's create POST failing is told to the engine: a lost answer is
// ambiguous (look the resource up by its tags before trying again); a definite refusal
// (4xx) means nothing was made.

import ScalewayAPI
import ScwEngine

enum CreateCall {
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AmbiguousWriteError {
            throw AmbiguousCreateError(detail: String(describing: error))
        } catch let error as APIError where (400..<500).contains(error.status) {
            throw CreateRefusedError(error)
        }
    }
}
