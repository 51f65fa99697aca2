// Exports: the types an embedder meets through the façade (values, plans, events, Lua
// functions), so `import ScwLua` is enough.

@_exported import LuaHost
@_exported import ScwCore
@_exported import ScwEngine
@_exported import struct ScwScript.ScriptPermissions
