// LuaHost: the Lua 5.4 layer of scwlua. This file only documents the module's rules; the
// code lives in one file per concern (LuaState*, LuaValue*, LuaRef, LuaError, LuaThread).

// Rules every file here keeps (DESIGN.md section 7):
// - Swift never raises a Lua error: a Swift function returns a sentinel and the C trampoline
//   (CLua/shim.c) calls lua_error after the Swift frame has returned. CLua.apinotes makes the
//   raising calls (lua_error, luaL_check*, lua_call, metamethod-running accessors, ...)
//   unavailable to Swift; Tests/LuaHostTests/APINotesTests.swift proves it.
// - Swift calls Lua only through lua_pcall with a traceback handler (LuaState.call, doFile,
//   doString), and reads or writes tables raw, so no metamethod runs inside Swift code.
// - Lua runs on one thread: a LuaState is used where it was made, or owned by a LuaThread.
//   LuaRefs may die on any thread; their registry slots are freed on the Lua thread.
// - Known limit: a memory error inside a Lua API call made from Swift (pushing a string,
//   making a table) still longjmps, as in every Lua host; Lua then aborts via its panic
//   handler when outside a pcall. It needs the process to run out of memory.
