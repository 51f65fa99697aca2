// ScriptTransformer: runs `ref:map` functions for the engine, on the script's Lua thread.

import LuaHost
import ScwCore
import ScwEngine
import ScwScript

struct ScriptTransformer: ValueTransformer {
    let thread: any LuaExecutor
    let session: ScriptSession

    func transform(_ id: TransformID, _ input: Value) async throws -> Value {
        let session = self.session
        return try await thread.run { _ in try session.transform(id, input) }
    }
}
