/*
** shim.c: the C half of calling Swift from Lua and Lua from Swift. Only this file raises
** Lua errors (lua_error), and only after the Swift function it called has returned.
*/
#include "CLua.h"

static char traceback_key; /* its address keys the last traceback in the registry */

/* ------------------------------------------------------- the error trampoline */

int scwlua_raise_message(lua_State *L, const char *message) {
    lua_pushstring(L, message);
    return lua_error(L);
}

static scwlua_box *box_at(lua_State *L, int idx) {
    scwlua_box *box;
    if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) != sizeof(scwlua_box))
        return NULL;
    box = (scwlua_box *)lua_touserdata(L, idx);
    return box->magic == SCWLUA_BOX_MAGIC ? box : NULL;
}

int scwlua_trampoline(lua_State *L) {
    scwlua_box *box = box_at(L, lua_upvalueindex(1));
    int n;
    if (box == NULL || box->call == NULL || box->object == NULL)
        return scwlua_raise_message(L, "Swift function called after it was released");
    n = box->call(L, box->object);
    if (n < 0) /* SCWLUA_RAISE: the error value is on top; the Swift frame is gone */
        return lua_error(L);
    return n;
}

int scwlua_box_gc(lua_State *L) {
    scwlua_box *box = box_at(L, 1);
    if (box != NULL && box->object != NULL) {
        void *object = box->object;
        box->object = NULL; /* a resurrected box is then inert, not dangling */
        if (box->release != NULL)
            box->release(object);
    }
    return 0;
}

void scwlua_push_swift_function(lua_State *L, void *object, scwlua_call_fn call,
                                scwlua_release_fn release) {
    scwlua_box *box = (scwlua_box *)lua_newuserdatauv(L, sizeof(scwlua_box), 0);
    box->magic = SCWLUA_BOX_MAGIC;
    box->object = object;
    box->call = call;
    box->release = release;
    if (luaL_newmetatable(L, SCWLUA_FUNCTION_BOX_MT)) {
        lua_pushcfunction(L, scwlua_box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, SCWLUA_FUNCTION_BOX_MT);
        lua_setfield(L, -2, "__metatable"); /* scripts cannot swap it out */
    }
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, scwlua_trampoline, 1);
}

int scwlua_push_object(lua_State *L, void *object, scwlua_release_fn release, const char *mtname) {
    scwlua_box *box;
    lua_pushstring(L, mtname);
    if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, -2) == LUA_TNIL) { /* release the Swift object with the userdata */
        lua_pop(L, 1);
        lua_pushliteral(L, "__gc");
        lua_pushcfunction(L, scwlua_box_gc);
        lua_rawset(L, -3);
    } else {
        lua_pop(L, 1);
    }
    box = (scwlua_box *)lua_newuserdatauv(L, sizeof(scwlua_box), 0);
    box->magic = SCWLUA_BOX_MAGIC;
    box->object = object;
    box->call = NULL;
    box->release = release;
    lua_insert(L, -2);
    lua_setmetatable(L, -2);
    return 1;
}

void *scwlua_object_at(lua_State *L, int idx) {
    scwlua_box *box = box_at(L, idx);
    return (box != NULL && box->call == NULL) ? box->object : NULL;
}

/* ------------------------------------------------------- protected helpers */

/* Message handler: turns the error into a string, keeps the traceback aside. */
static int traceback_handler(lua_State *L) {
    int t = lua_type(L, 1);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
        lua_tostring(L, -1); /* a number becomes its text */
    } else if (!(luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)) {
        lua_settop(L, 1);
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, NULL, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
    return 1;
}

int scwlua_pcall_traceback(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs; /* the function's slot */
    int status;
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
    lua_pushcfunction(L, traceback_handler);
    lua_insert(L, base);
    status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (status != LUA_OK) {
        if (lua_type(L, -1) != LUA_TSTRING) { /* only when the handler did not run */
            lua_pop(L, 1);
            lua_pushliteral(L, "unknown error");
        }
        lua_rawgetp(L, LUA_REGISTRYINDEX, &traceback_key);
        lua_pushnil(L);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
    }
    return status;
}

static int openlibs_body(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

int scwlua_openlibs(lua_State *L) {
    lua_pushcfunction(L, openlibs_body);
    return lua_pcall(L, 0, 0, 0);
}
