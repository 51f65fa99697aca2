// S3StateStore+Script: the script a stack was last deployed from, in remote state: one small
// object per stack, `<prefix>/<stack>/script.json` (`{"format": 1, "script": "../infra.lua"}`).

import ScwCore
import ScwState

extension S3StateLocation {
    func scriptKey(_ stack: String) -> String { stackRoot(stack) + "script.json" }
}

extension S3StateStore: StackScriptRecording {
    public func stackScript(stack: String) throws -> String? {
        let key = location.scriptKey(stack)
        guard let (body, _) = try run({ try await $0.get(key) }) else { return nil }
        guard let script = (try? JSON.decode(bytes: body))?["script"]?.stringValue else {
            throw StateError("remote state is damaged: \(objects.url(key)) names no script")
        }
        return script
    }

    public func setStackScript(stack: String, _ script: String) throws {
        let key = location.scriptKey(stack)
        let body = StoredObjects.body(["format": .int(StoredObjects.format), "script": .string(script)])
        try run { try await $0.put(key, body) }
    }
}
