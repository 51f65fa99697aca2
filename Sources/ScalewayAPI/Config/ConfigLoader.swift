// ConfigLoader: builds a ScalewayConfig the way the scw CLI and the Go SDK do: find the config
// file, pick the profile (--profile > SCW_PROFILE > active_profile), merge a named profile over
// the default one, let SCW_* variables override, then validate (ConfigValidation.swift).

import Foundation
import ScwCore

/// Loads credentials and defaults like the scw CLI.
public enum ConfigLoader {
    /// The config file path: `$SCW_CONFIG_PATH`, else `$XDG_CONFIG_HOME/scw/config.yaml`, else
    /// `$HOME/.config/scw/config.yaml`; nil when none of those variables is set.
    public static func configPath(environment env: [String: String]) -> String? {
        if let p = env["SCW_CONFIG_PATH"], !p.isEmpty { return p }
        if let x = env["XDG_CONFIG_HOME"], !x.isEmpty { return x + "/scw/config.yaml" }
        if let h = env["HOME"], !h.isEmpty { return h + "/.config/scw/config.yaml" }
        return nil
    }

    /// Loads and validates the configuration.
    ///
    /// - Parameters:
    ///   - profile: the `--profile` argument, if given (wins over `SCW_PROFILE` and
    ///     `active_profile`). `default` means the top-level keys.
    ///   - environment: the process environment (`ProcessInfo.processInfo.environment`).
    /// - Throws: ``Diagnostic`` naming the config key, variable or file line at fault. A
    ///   missing file is fine when the environment provides the credentials.
    public static func load(profile: String? = nil, environment env: [String: String]) throws -> ScalewayConfig {
        let file = try readFile(environment: env)

        // Which profile, and who chose it.
        let chosen: (name: String, by: String)
        if let p = profile, !p.isEmpty {
            chosen = (p, "--profile")
        } else if let p = env["SCW_PROFILE"], !p.isEmpty {
            chosen = (p, "SCW_PROFILE")
        } else if let active = file?.activeProfile {
            chosen = (active.value, "active_profile")
        } else {
            chosen = ("default", "")
        }

        var settings: [ConfigKey: Setting] = [:]
        if let file {
            for key in ConfigKey.allCases {
                if let e = file.root[key.rawValue] {
                    settings[key] = Setting(value: e.value, key: key.rawValue, source: "\(file.place(e.line))")
                }
            }
        }
        if chosen.name != "default" {
            guard let file, let named = file.profile(named: chosen.name) else {
                throw unknownProfile(chosen, file: file, path: configPath(environment: env))
            }
            for key in ConfigKey.allCases {
                if let e = named[key.rawValue] {
                    settings[key] = Setting(value: e.value, key: "profiles.\(chosen.name).\(key.rawValue)", source: "\(file.place(e.line))")
                }
            }
        }
        for key in ConfigKey.allCases {
            if let v = env[key.environmentVariable] {
                settings[key] = Setting(value: v, key: key.environmentVariable, source: "environment")
            }
        }

        try ConfigValidation.validate(settings)
        guard let access = settings[.accessKey], let secret = settings[.secretKey] else {
            throw missingCredentials(settings, profile: chosen.name, file: file, path: configPath(environment: env))
        }

        var sources: [String: String] = [:]
        for (key, s) in settings { sources[key.rawValue] = s.origin }
        var config = ScalewayConfig(accessKey: access.value, secretKey: secret.value,
                                    defaultProjectID: settings[.defaultProjectID]?.value,
                                    defaultOrganizationID: settings[.defaultOrganizationID]?.value,
                                    profile: chosen.name, configPath: file?.path, sources: sources)
        if settings[.defaultProjectID] == nil, settings[.defaultOrganizationID] != nil {
            config.sources[ConfigKey.defaultProjectID.rawValue] = "same as default_organization_id"
        }
        if let r = settings[.defaultRegion] { config.defaultRegion = r.value } else { config.sources[ConfigKey.defaultRegion.rawValue] = "built-in default" }
        if let z = settings[.defaultZone] { config.defaultZone = z.value } else { config.sources[ConfigKey.defaultZone.rawValue] = "built-in default" }
        if let u = settings[.apiURL] { config.apiURL = u.value } else { config.sources[ConfigKey.apiURL.rawValue] = "built-in default" }
        config.s3Endpoint = settings[.s3Endpoint]?.value
        config.s3UsePathStyle = settings[.s3UsePathStyle].map { $0.value == "true" }
        return config
    }

    /// Reads and parses the config file; nil when there is none. The SDK also accepts
    /// `config.yml` beside the default `config.yaml`.
    static func readFile(environment env: [String: String]) throws -> ConfigFile? {
        guard let path = configPath(environment: env) else { return nil }
        var candidates = [path]
        if env["SCW_CONFIG_PATH"].map({ $0.isEmpty }) ?? true, path.hasSuffix(".yaml") {
            candidates.append(String(path.dropLast(5)) + ".yml")
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { continue }
            guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: candidate) else {
                throw Diagnostic("cannot read the config file", at: .configKey(candidate), hint: "check its permissions (chmod 0600 \(candidate))")
            }
            guard let text = String(bytes: data, encoding: .utf8) else {
                throw Diagnostic("the config file is not UTF-8 text", at: .configKey(candidate))
            }
            return try ConfigFile.parse(text, path: candidate)
        }
        return nil
    }

    private static func unknownProfile(_ chosen: (name: String, by: String), file: ConfigFile?, path: String?) -> Diagnostic {
        let names = ["default"] + (file?.profiles.map(\.name) ?? [])
        var hint = "available profiles: " + names.joined(separator: ", ")
        if let near = Suggest.closest(to: chosen.name, in: names) { hint = "did you mean `\(near)`? " + hint }
        let whereText = file.map { "in \($0.path)" } ?? "(no config file\(path.map { " at \($0)" } ?? ""))"
        return Diagnostic("profile `\(chosen.name)` (chosen by \(chosen.by)) does not exist \(whereText)",
                          at: .configKey(chosen.by == "active_profile" ? "active_profile" : chosen.by), hint: hint)
    }

    private static func missingCredentials(_ settings: [ConfigKey: Setting], profile: String, file: ConfigFile?, path: String?) -> Diagnostic {
        let missing = [ConfigKey.accessKey, .secretKey].filter { settings[$0] == nil }
        let what = missing.count == 2 ? "no Scaleway credentials found: access key and secret key are not set"
            : "the \(missing[0] == .accessKey ? "access key" : "secret key") is not set"
        let looked = file.map { "looked in profile `\(profile)` of \($0.path) and in the environment" }
            ?? "no config file\(path.map { " at \($0)" } ?? ""), nothing in the environment"
        let place = profile == "default" ? missing[0].rawValue : "profiles.\(profile).\(missing[0].rawValue)"
        return Diagnostic("\(what) (\(looked))",
                          at: .configKey(file == nil ? missing[0].environmentVariable : place),
                          hint: "run `scw init`, or set SCW_ACCESS_KEY and SCW_SECRET_KEY, or use --local to deploy to the local emulator")
    }
}

/// One value with the name it was given under and where it was read.
struct Setting {
    var value: String
    /// `profiles.prod.secret_key`, `secret_key` or `SCW_SECRET_KEY`.
    var key: String
    /// `/path/config.yaml:7` or `environment`.
    var source: String

    /// For ``ScalewayConfig/sources``: `env SCW_SECRET_KEY`, `profiles.prod.secret_key in /path:7`.
    var origin: String {
        source == "environment" ? "env \(key)" : "\(key) in \(source)"
    }

    /// For messages: `SCW_SECRET_KEY` or `/path/config.yaml:7`.
    var location: String {
        source == "environment" ? "environment variable \(key)" : source
    }
}
