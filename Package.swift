// swift-tools-version:6.0
// scwlua: infrastructure as code for Scaleway, in Lua, run by a Swift engine.
// Each line of targets below may import only the targets above it (DESIGN.md section 7).
import PackageDescription

let package = Package(
    name: "scwlua",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "scwlua", targets: ["scwlua"]),
        .library(name: "ScwLua", targets: ["ScwLua"]),
        .executable(name: "scwlua-embed-example", targets: ["EmbedDeployExample"]),
        // `require "scaleway"` from stock lua5.4 (libscaleway.so, installed as scaleway.so).
        .library(name: "scaleway", type: .dynamic, targets: ["ScwLuaModule"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"4.0.0"),
        .package(url: "https://github.com/jpsim/Yams", "5.0.1"..<"6.0.0"),
    ],
    targets: [
        // C shims: only what Swift cannot import by itself.
        .target(name: "CLua", linkerSettings: [.linkedLibrary("lua5.4")]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "CEdit", linkerSettings: [.linkedLibrary("edit")]),

        // Shared vocabulary: values, addresses, diagnostics, schemas.
        .target(name: "ScwCore"),
        // The Lua state: conversion, pcall, the error trampoline.
        .target(name: "LuaHost", dependencies: ["CLua", "ScwCore"]),
        // Talking to Scaleway: config, libcurl transport, errors, pagination, services.
        .target(name: "ScalewayAPI", dependencies: ["CCurl", "ScwCore", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]),
        // Plans, graphs, apply and destroy; knows nothing of Lua, HTTP or Scaleway.
        .target(name: "ScwEngine", dependencies: ["ScwCore"]),
        // State stores: SQLite, locks, history, secrets at rest.
        .target(name: "ScwState", dependencies: ["CSQLite", "ScwCore", "ScwEngine", .product(name: "Crypto", package: "swift-crypto")]),
        // One file per Scaleway resource type.
        .target(name: "ScwResources", dependencies: ["ScwCore", "ScwEngine", "ScalewayAPI"]),
        // The `scaleway` Lua module: constructors, handles, references.
        .target(name: "ScwScript", dependencies: ["ScwCore", "LuaHost", "ScwEngine", "ScwResources"]),
        // Plan, state and progress rendering, from values only.
        .target(name: "ScwRender", dependencies: ["ScwCore", "ScwEngine"]),
        // The local Scaleway API emulator; shares no code with ScalewayAPI.
        .target(name: "ScwEmulator"),
        // Remote state on Object Storage (S3).
        .target(name: "ScwRemoteState", dependencies: ["ScwCore", "ScwEngine", "ScwState", "ScalewayAPI"]),
        // The embeddable façade (library product).
        .target(name: "ScwLua", dependencies: ["ScwCore", "ScwEngine", "ScwState", "ScwRemoteState", "ScwResources", "ScwScript", "ScwRender", "ScalewayAPI", "LuaHost", .product(name: "Crypto", package: "swift-crypto")]),
        // The interactive REPL (libedit line editing, completion, pretty-printing).
        .target(name: "ScwRepl", dependencies: ["ScwLua", "ScwRender", "LuaHost", "CEdit", "ScwCore", "ScwEngine"]),
        // The `scaleway` Lua module for any Lua 5.4 host (luaopen_scaleway → libscaleway.so).
        .target(name: "ScwLuaModule", dependencies: ["ScwLua", "LuaHost", "CLua", "ScwScript", "ScwEngine", "ScwCore", "ScwRender", "ScwResources"]),
        // An example of a tool embedding scwlua: deploys a stack and writes its outputs to a file.
        .executableTarget(name: "EmbedDeployExample", dependencies: ["ScwLua"], path: "Examples/EmbedDeploy"),
        // The CLI: argument parsing and wiring only.
        .executableTarget(name: "scwlua", dependencies: ["ScwLua", "ScwRepl", "ScwCore", "ScwEngine", "ScwRender", "ScwEmulator", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Helpers shared by test targets: running the built binary, moto's S3 server.
        .target(name: "ScwTestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "ScwCoreTests", dependencies: ["ScwCore"]),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost", "CLua"]),
        .testTarget(name: "ScalewayAPITests", dependencies: ["ScalewayAPI", "ScwEmulator", "ScwTestSupport"]),
        .testTarget(name: "ScwEngineTests", dependencies: ["ScwEngine"]),
        .testTarget(name: "ScwStateTests", dependencies: ["ScwState"]),
        .testTarget(name: "ScwScriptTests", dependencies: ["ScwScript", "ScwLua", "ScwRender", "ScwResources"]),
        .testTarget(name: "EmbeddingTests", dependencies: ["ScwLua", "ScwEmulator", "EmbedDeployExample"]),
        .testTarget(name: "ScwEmulatorTests", dependencies: ["ScwEmulator", "ScwTestSupport"]),
        .testTarget(name: "LuaStdlibTests", dependencies: []),
        .testTarget(name: "LuaModuleTests", dependencies: ["ScwEmulator"]),
        .testTarget(name: "ScwReplTests", dependencies: ["ScwRepl", "ScwLua", "LuaHost", "ScwEmulator", "scwlua"]),
        .testTarget(name: "ScwRemoteStateTests", dependencies: ["ScwRemoteState", "ScwEmulator", "ScwLua", "scwlua", "ScwTestSupport"]),
        .testTarget(name: "ScwResourcesTests", dependencies: ["ScwResources", "ScwEngine", "ScwCore", "ScwEmulator", "ScalewayAPI", "ScwTestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["ScwEmulator", "scwlua", "ScwTestSupport"], exclude: ["Fixtures"]),
    ]
)
