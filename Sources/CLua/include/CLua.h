/*
** CLua: Lua 5.4 (Debian's liblua5.4) for Swift. Static inline wrappers for the macros
** Swift cannot import, and the error trampoline (shim.c) so that lua_error never unwinds
** a Swift frame. Functions that raise are made unavailable to Swift by CLua.apinotes.
*/
#ifndef SCWLUA_CLUA_H
#define SCWLUA_CLUA_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- constants */

static inline int scwlua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int scwlua_multret(void) { return LUA_MULTRET; }
static inline int scwlua_noref(void) { return LUA_NOREF; }
static inline int scwlua_refnil(void) { return LUA_REFNIL; }
static inline lua_Integer scwlua_ridx_globals(void) { return LUA_RIDX_GLOBALS; }
static inline lua_Integer scwlua_ridx_mainthread(void) { return LUA_RIDX_MAINTHREAD; }
static inline int scwlua_upvalueindex(int i) { return lua_upvalueindex(i); }

/* ------------------------------------------------------------ macro wrappers */

static inline void scwlua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void scwlua_newtable(lua_State *L) { lua_newtable(L); }
static inline void scwlua_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline void scwlua_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline const char *scwlua_tostring(lua_State *L, int i) { return lua_tostring(L, i); }
static inline lua_Number scwlua_tonumber(lua_State *L, int i) { return lua_tonumber(L, i); }
static inline lua_Integer scwlua_tointeger(lua_State *L, int i) { return lua_tointeger(L, i); }
static inline int scwlua_isnil(lua_State *L, int i) { return lua_isnil(L, i); }
static inline int scwlua_isnone(lua_State *L, int i) { return lua_isnone(L, i); }
static inline int scwlua_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }
static inline int scwlua_istable(lua_State *L, int i) { return lua_istable(L, i); }
static inline int scwlua_isfunction(lua_State *L, int i) { return lua_isfunction(L, i); }
static inline int scwlua_isboolean(lua_State *L, int i) { return lua_isboolean(L, i); }
static inline void scwlua_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void scwlua_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void scwlua_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline void *scwlua_getextraspace(lua_State *L) { return lua_getextraspace(L); }
static inline const char *scwlua_typename_at(lua_State *L, int i) { return luaL_typename(L, i); }
static inline void *scwlua_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }

/* Only protected calls: lua_call would longjmp through the caller on error. */
static inline int scwlua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}

/* Loads a chunk (text only) from memory; never raises, returns a status. */
static inline int scwlua_loadbuffer(lua_State *L, const char *buff, size_t size, const char *name) {
    return luaL_loadbufferx(L, buff, size, name, "t");
}

/* Pushes the metatable registered under `name` (raw read: no metamethod can run). */
static inline int scwlua_getmetatable_named(lua_State *L, const char *name) {
    lua_pushstring(L, name);
    return lua_rawget(L, LUA_REGISTRYINDEX);
}

/* ------------------------------------------------------- GC (non-variadic) */

static inline int scwlua_gc_collect(lua_State *L) { return lua_gc(L, LUA_GCCOLLECT); }
/* Memory in use by Lua, in bytes. */
static inline size_t scwlua_gc_bytes(lua_State *L) {
    return (size_t)lua_gc(L, LUA_GCCOUNT) * 1024u + (size_t)lua_gc(L, LUA_GCCOUNTB);
}

/* ------------------------------------------------------- the error trampoline */

/*
** A Swift function seen from Lua: a C closure (scwlua_trampoline) whose first upvalue is a
** full userdata holding a scwlua_box. The box points at a retained Swift object and at the
** functions that call and release it. `call` returns the number of results it pushed, or
** SCWLUA_RAISE after leaving the error value on top of the stack: the trampoline then raises
** it with lua_error, after the Swift frame has returned.
*/
#define SCWLUA_RAISE (-1)
#define SCWLUA_BOX_MAGIC 0x7363776C75616278ull /* "scwluabx" */

typedef int (*scwlua_call_fn)(lua_State *L, void *object);
typedef void (*scwlua_release_fn)(void *object);

typedef struct scwlua_box {
    uint64_t magic;
    void *object;              /* retained Swift object; NULL once released */
    scwlua_call_fn call;       /* NULL for plain object boxes */
    scwlua_release_fn release;
} scwlua_box;

/* Name of the metatable of function boxes (holds __gc). */
#define SCWLUA_FUNCTION_BOX_MT "scwlua.SwiftFunction"

/* The lua_CFunction that every Swift function goes through. */
int scwlua_trampoline(lua_State *L);

/* Pushes a Lua function backed by `object` (retained by the caller, released by __gc). */
void scwlua_push_swift_function(lua_State *L, void *object, scwlua_call_fn call,
                                scwlua_release_fn release);

/*
** Pushes a full userdata holding `object` (retained by the caller, released by __gc) with
** the metatable registered under `mtname`; adds __gc to that metatable when it has none.
** Returns 0 (and pushes nothing) when no such metatable exists.
*/
int scwlua_push_object(lua_State *L, void *object, scwlua_release_fn release, const char *mtname);

/* The Swift object of the box at `idx` (a boxed object userdata), or NULL. */
void *scwlua_object_at(lua_State *L, int idx);

/* The __gc metamethod of boxes; also installed on metatables made by LuaHost. */
int scwlua_box_gc(lua_State *L);

/* ------------------------------------------------------- protected helpers */

/*
** lua_pcall with a message handler that records a traceback. On error the stack holds,
** in place of the function and its arguments, the message (a string) and the traceback
** (a string, or nil for memory errors, which skip the handler).
*/
int scwlua_pcall_traceback(lua_State *L, int nargs, int nresults);

/* luaL_openlibs under lua_pcall; returns a status (LUA_OK on success). */
int scwlua_openlibs(lua_State *L);

/* C side only: raises `message` as a Lua error (never call from Swift). */
int scwlua_raise_message(lua_State *L, const char *message);

#endif
