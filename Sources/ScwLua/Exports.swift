// Exports: the types an embedder meets through the façade, under the `Scw` namespace
// (`Scw.Value`, `Scw.Plan`, `Scw.ApplyEvent`), so that `import ScwLua` brings in no generic
// name (`Value`, `Plan`, `Engine`) that could clash with the embedder's own. The façade's own
// types (`StackSession`, `StackOptions`, `DeployOutcome`, `ApplyFailure`, ...) are top level.

import LuaHost
import ScalewayAPI
import ScwCore
import ScwEngine
import ScwScript

/// The vocabulary of scwlua an embedder names: values, plans, results, events, state, Lua.
public enum Scw {
    // Values and problems
    public typealias Value = ScwCore.Value
    public typealias ResourceAddress = ScwCore.ResourceAddress
    public typealias Diagnostic = ScwCore.Diagnostic
    public typealias DiagnosticList = ScwCore.DiagnosticList
    public typealias SourceLocation = ScwCore.SourceLocation
    // Plans, results, events
    public typealias Plan = ScwEngine.Plan
    public typealias PlannedChange = ScwEngine.PlannedChange
    public typealias PropChange = ScwEngine.PropChange
    public typealias Action = ScwEngine.Action
    public typealias ApplyResult = ScwEngine.ApplyResult
    public typealias ApplyEvent = ScwEngine.ApplyEvent
    public typealias ApplyEventHandler = ScwEngine.ApplyEventHandler
    public typealias OperationError = ScwEngine.OperationError
    public typealias Program = ScwEngine.Program
    public typealias Declaration = ScwEngine.Declaration
    // State
    public typealias StateStore = ScwEngine.StateStore
    public typealias ResourceState = ScwEngine.ResourceState
    public typealias LockInfo = ScwEngine.LockInfo
    public typealias StackLockedError = ScwEngine.StackLockedError
    public typealias DeploymentRecord = ScwEngine.DeploymentRecord
    // Credentials (`APITarget.config`)
    public typealias Config = ScalewayAPI.ScalewayConfig
    // Lua
    public typealias LuaValue = LuaHost.LuaValue
    public typealias LuaTable = LuaHost.LuaTable
    public typealias LuaState = LuaHost.LuaState
    public typealias LuaFunction = LuaHost.LuaFunction
    public typealias ScriptPermissions = ScwScript.ScriptPermissions
}
