// ConfigLoaderTests: the scw CLI's rules: file location, profile choice (--profile >
// SCW_PROFILE > active_profile), inheritance from the default profile, environment over file,
// every validation message, and that the secret key never appears in any message.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class ConfigLoaderTests: XCTestCase {
    static let access = "SCWABCDEFGHIJ0123456"
    static let secret = "8f5c2a1e-3b4d-4c6e-9f7a-0123456789ab"
    static let secret2 = "aaaabbbb-cccc-4ddd-8eee-ffff00001111"
    static let org = "564aa517-68b0-4fd7-8c8c-d21c4bcdcbd5"
    static let project = "0b8fe1c6-83ba-4b14-8bba-15d73cb07bde"

    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "scw-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/home/.config/scw", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Writes ~/.config/scw/config.yaml under the temporary HOME; returns the environment.
    private func home(_ yaml: String, extra: [String: String] = [:]) throws -> [String: String] {
        try yaml.write(toFile: dir + "/home/.config/scw/config.yaml", atomically: true, encoding: .utf8)
        return ["HOME": dir + "/home"].merging(extra) { $1 }
    }

    private var standardFile: String {
        """
        access_key: \(Self.access)
        secret_key: \(Self.secret)
        default_organization_id: \(Self.org)
        default_region: fr-par
        default_zone: fr-par-2
        send_telemetry: false
        active_profile: staging
        profiles:
          staging:
            default_zone: nl-ams-1
            default_region: nl-ams
          prod:
            secret_key: \(Self.secret2)
            default_project_id: \(Self.project)
        """
    }

    private func diagnostic(_ body: () throws -> Any) -> Diagnostic? {
        do {
            _ = try body()
            XCTFail("expected a Diagnostic")
            return nil
        } catch let d as Diagnostic {
            return d
        } catch {
            XCTFail("expected a Diagnostic, got \(error)")
            return nil
        }
    }

    // MARK: Location and precedence

    func testConfigPathResolution() {
        XCTAssertEqual(ConfigLoader.configPath(environment: ["SCW_CONFIG_PATH": "/a/b.yaml", "XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/a/b.yaml")
        XCTAssertEqual(ConfigLoader.configPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/x/scw/config.yaml")
        XCTAssertEqual(ConfigLoader.configPath(environment: ["HOME": "/h"]), "/h/.config/scw/config.yaml")
        XCTAssertNil(ConfigLoader.configPath(environment: [:]))
    }

    func testActiveProfileInheritsFromDefault() throws {
        let c = try ConfigLoader.load(environment: try home(standardFile))
        XCTAssertEqual(c.profile, "staging")
        XCTAssertEqual(c.accessKey, Self.access)           // inherited
        XCTAssertEqual(c.secretKey, Self.secret)           // inherited
        XCTAssertEqual(c.defaultZone, "nl-ams-1")          // overridden
        XCTAssertEqual(c.defaultRegion, "nl-ams")
        XCTAssertEqual(c.defaultProjectID, Self.org)       // project defaults to the organization
        XCTAssertEqual(c.apiURL, "https://api.scaleway.com")
        XCTAssertEqual(c.sources["default_zone"], "profiles.staging.default_zone in \(dir)/home/.config/scw/config.yaml:10")
        XCTAssertEqual(c.sources["access_key"], "access_key in \(dir)/home/.config/scw/config.yaml:1")
    }

    func testProfileArgumentBeatsEnvironmentBeatsActiveProfile() throws {
        let env = try home(standardFile, extra: ["SCW_PROFILE": "default"])
        XCTAssertEqual(try ConfigLoader.load(environment: env).defaultZone, "fr-par-2")
        XCTAssertEqual(try ConfigLoader.load(environment: env).profile, "default")
        let viaArg = try ConfigLoader.load(profile: "prod", environment: env)
        XCTAssertEqual(viaArg.profile, "prod")
        XCTAssertEqual(viaArg.secretKey, Self.secret2)
        XCTAssertEqual(viaArg.defaultProjectID, Self.project)
        XCTAssertEqual(viaArg.defaultZone, "fr-par-2")     // from the default profile
        XCTAssertEqual(try ConfigLoader.load(profile: "", environment: env).profile, "default")  // empty = not given
    }

    func testEnvironmentOverridesFile() throws {
        let env = try home(standardFile, extra: [
            "SCW_SECRET_KEY": Self.secret2, "SCW_DEFAULT_ZONE": "pl-waw-3", "SCW_DEFAULT_REGION": "pl-waw",
            "SCW_DEFAULT_PROJECT_ID": Self.project, "SCW_API_URL": "http://127.0.0.1:9999", "SCW_S3_ENDPOINT": "https://s3.pl-waw.scw.cloud",
        ])
        let c = try ConfigLoader.load(profile: "prod", environment: env)
        XCTAssertEqual(c.secretKey, Self.secret2)
        XCTAssertEqual(c.defaultZone, "pl-waw-3")
        XCTAssertEqual(c.defaultRegion, "pl-waw")
        XCTAssertEqual(c.defaultProjectID, Self.project)
        XCTAssertEqual(c.apiURL, "http://127.0.0.1:9999")
        XCTAssertEqual(c.s3Endpoint, "https://s3.pl-waw.scw.cloud")
        XCTAssertEqual(c.sources["secret_key"], "env SCW_SECRET_KEY")
    }

    func testS3PathStyleFromFileAndEnvironment() throws {
        let fromFile = try ConfigLoader.load(profile: nil, environment: try home(standardFile + "\ns3_use_path_style: true\n"))
        XCTAssertEqual(fromFile.s3UsePathStyle, true)
        let overridden = try ConfigLoader.load(profile: nil, environment: try home(standardFile, extra: ["SCW_S3_USE_PATH_STYLE": "false"]))
        XCTAssertEqual(overridden.s3UsePathStyle, false)
        XCTAssertNil(try ConfigLoader.load(profile: nil, environment: try home(standardFile)).s3UsePathStyle)
        let bad = diagnostic { try ConfigLoader.load(profile: nil, environment: try self.home(self.standardFile, extra: ["SCW_S3_USE_PATH_STYLE": "yes"])) }
        XCTAssertEqual(bad?.place, .configKey("SCW_S3_USE_PATH_STYLE"))
        XCTAssertTrue(bad?.message.contains("expected true or false") == true, bad?.message ?? "")
    }

    func testXDGAndExplicitPath() throws {
        let xdg = dir + "/xdg"
        try FileManager.default.createDirectory(atPath: xdg + "/scw", withIntermediateDirectories: true)
        try "access_key: \(Self.access)\nsecret_key: \(Self.secret)\ndefault_zone: it-mil-1\n".write(toFile: xdg + "/scw/config.yaml", atomically: true, encoding: .utf8)
        let env = try home(standardFile, extra: ["XDG_CONFIG_HOME": xdg])
        XCTAssertEqual(try ConfigLoader.load(environment: env).defaultZone, "it-mil-1")
        let explicit = dir + "/elsewhere.yaml"
        try "access_key: \(Self.access)\nsecret_key: \(Self.secret)\ndefault_zone: nl-ams-3\n".write(toFile: explicit, atomically: true, encoding: .utf8)
        let c = try ConfigLoader.load(environment: env.merging(["SCW_CONFIG_PATH": explicit]) { $1 })
        XCTAssertEqual(c.defaultZone, "nl-ams-3")
        XCTAssertEqual(c.configPath, explicit)
    }

    func testMissingFileIsFineWithEnvironmentCredentials() throws {
        let c = try ConfigLoader.load(environment: ["HOME": dir + "/nowhere", "SCW_ACCESS_KEY": Self.access, "SCW_SECRET_KEY": Self.secret,
                                                    "SCW_DEFAULT_ORGANIZATION_ID": Self.org])
        XCTAssertNil(c.configPath)
        XCTAssertEqual(c.defaultRegion, "fr-par")
        XCTAssertEqual(c.defaultZone, "fr-par-1")
        XCTAssertEqual(c.defaultProjectID, Self.org)
    }

    func testEmptyFileAndYmlFallback() throws {
        let env = try home("", extra: ["SCW_ACCESS_KEY": Self.access, "SCW_SECRET_KEY": Self.secret])
        XCTAssertEqual(try ConfigLoader.load(environment: env).profile, "default")
        try FileManager.default.removeItem(atPath: dir + "/home/.config/scw/config.yaml")
        try "access_key: \(Self.access)\nsecret_key: \(Self.secret)\ndefault_zone: pl-waw-2\n".write(toFile: dir + "/home/.config/scw/config.yml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try ConfigLoader.load(environment: ["HOME": dir + "/home"]).defaultZone, "pl-waw-2")
    }

    // MARK: Validation messages

    func testMissingCredentials() throws {
        let d = diagnostic { try ConfigLoader.load(environment: ["HOME": dir + "/nowhere"]) }
        XCTAssertEqual(d?.place, .configKey("SCW_ACCESS_KEY"))
        XCTAssertTrue(d?.message.contains("no Scaleway credentials") ?? false, d?.description ?? "")
        XCTAssertTrue(d?.hint?.contains("scw init") ?? false)
        XCTAssertTrue(d?.hint?.contains("SCW_SECRET_KEY") ?? false)
        XCTAssertTrue(d?.hint?.contains("--local") ?? false)
        let onlyAccess = diagnostic { try ConfigLoader.load(environment: try self.home("access_key: \(Self.access)\n")) }
        XCTAssertEqual(onlyAccess?.place, .configKey("secret_key"))
        XCTAssertTrue(onlyAccess?.message.contains("secret key is not set") ?? false)
    }

    func testMalformedAccessKey() throws {
        let env = try home(standardFile, extra: ["SCW_ACCESS_KEY": "SCW123"])
        let d = diagnostic { try ConfigLoader.load(environment: env) }
        XCTAssertEqual(d?.place, .configKey("SCW_ACCESS_KEY"))
        XCTAssertTrue(d?.message.contains("invalid access key format 'SCW123'") ?? false, d?.description ?? "")
        XCTAssertTrue(d?.message.contains("SCWXXXXXXXXXXXXXXXXX") ?? false)
        // A secret pasted as access key is not echoed.
        let swapped = diagnostic { try ConfigLoader.load(environment: try self.home("access_key: \(Self.secret)\nsecret_key: \(Self.secret)\n")) }
        XCTAssertEqual(swapped?.place, .configKey("access_key"))
        XCTAssertTrue(swapped?.hint?.contains("swapped") ?? false)
        XCTAssertFalse(swapped?.description.contains(Self.secret) ?? true)
    }

    func testNonUUIDSecretInNamedProfile() throws {
        let badSecret = "not-a-uuid-but-very-secret-value"
        let yaml = standardFile.replacingOccurrences(of: "secret_key: \(Self.secret2)", with: "secret_key: \(badSecret)")
        let d = diagnostic { try ConfigLoader.load(profile: "prod", environment: try self.home(yaml)) }
        XCTAssertEqual(d?.place, .configKey("profiles.prod.secret_key"))
        XCTAssertTrue(d?.message.contains("invalid secret key format") ?? false, d?.description ?? "")
        XCTAssertTrue(d?.message.contains("config.yaml:13") ?? false, d?.description ?? "")
        XCTAssertTrue(d?.message.contains("expected a UUID") ?? false)
        XCTAssertFalse(d?.description.contains(badSecret) ?? true)
        XCTAssertFalse(d?.description.contains("very-secret") ?? true)
    }

    func testNonUUIDProjectAndOrganization() throws {
        let d = diagnostic { try ConfigLoader.load(environment: try self.home(self.standardFile, extra: ["SCW_DEFAULT_PROJECT_ID": "my-project"])) }
        XCTAssertEqual(d?.place, .configKey("SCW_DEFAULT_PROJECT_ID"))
        XCTAssertTrue(d?.message.contains("invalid project ID format 'my-project'") ?? false)
        let o = diagnostic { try ConfigLoader.load(environment: try self.home(self.standardFile, extra: ["SCW_DEFAULT_ORGANIZATION_ID": ""])) }
        XCTAssertTrue(o?.message.contains("default organization ID cannot be empty") ?? false, o?.description ?? "")
    }

    func testUnknownZoneWithSuggestion() throws {
        let yaml = standardFile.replacingOccurrences(of: "default_zone: nl-ams-1", with: "default_zone: nl-ams-4")
        let d = diagnostic { try ConfigLoader.load(environment: try self.home(yaml)) }
        XCTAssertEqual(d?.place, .configKey("profiles.staging.default_zone"))
        XCTAssertTrue(d?.message.contains("invalid default zone 'nl-ams-4'") ?? false, d?.description ?? "")
        XCTAssertTrue(d?.message.contains("fr-par-1") ?? false)
        XCTAssertEqual(d?.hint, "did you mean `nl-ams-1`?")
    }

    func testUnknownRegionWithSuggestion() throws {
        let d = diagnostic { try ConfigLoader.load(environment: try self.home(self.standardFile, extra: ["SCW_DEFAULT_REGION": "fr-pra"])) }
        XCTAssertEqual(d?.place, .configKey("SCW_DEFAULT_REGION"))
        XCTAssertEqual(d?.hint, "did you mean `fr-par`?")
    }

    func testUnknownProfileListsAvailable() throws {
        let env = try home(standardFile)
        let d = diagnostic { try ConfigLoader.load(profile: "prd", environment: env) }
        XCTAssertEqual(d?.place, .configKey("--profile"))
        XCTAssertTrue(d?.message.contains("profile `prd`") ?? false)
        XCTAssertTrue(d?.hint?.contains("available profiles: default, staging, prod") ?? false, d?.hint ?? "")
        XCTAssertTrue(d?.hint?.contains("did you mean `prod`?") ?? false)
        let viaEnv = diagnostic { try ConfigLoader.load(environment: env.merging(["SCW_PROFILE": "qa"]) { $1 }) }
        XCTAssertEqual(viaEnv?.place, .configKey("SCW_PROFILE"))
        let viaFile = diagnostic { try ConfigLoader.load(environment: try self.home("active_profile: ghost\naccess_key: \(Self.access)\n")) }
        XCTAssertEqual(viaFile?.place, .configKey("active_profile"))
    }

    func testBadURL() throws {
        let d = diagnostic { try ConfigLoader.load(environment: try self.home(self.standardFile, extra: ["SCW_API_URL": "https://api.scaleway.com/"])) }
        XCTAssertTrue(d?.message.contains("trailing slash") ?? false)
        let e = diagnostic { try ConfigLoader.load(environment: try self.home(self.standardFile, extra: ["SCW_API_URL": "api.scaleway.com"])) }
        XCTAssertTrue(e?.message.contains("expected an http:// or https:// URL") ?? false)
    }

    func testMalformedYAMLNamesFileAndLine() throws {
        let yaml = "access_key: \(Self.access)\nsecret_key: \(Self.secret)\nprofiles:\n  prod:\n    default_zone: [fr-par-1\n"
        let d = diagnostic { try ConfigLoader.load(environment: try self.home(yaml)) }
        guard case .configKey(let place)? = d?.place else { return XCTFail("no place") }
        XCTAssertTrue(place.hasPrefix(dir + "/home/.config/scw/config.yaml:"), place)
        XCTAssertTrue(d?.message.contains("invalid YAML at line") ?? false, d?.description ?? "")
        XCTAssertFalse(d?.description.contains(Self.secret) ?? true)
        let tabs = diagnostic { try ConfigLoader.load(environment: try self.home("secret_key: \(Self.secret)\n\taccess_key: x: y\n")) }
        XCTAssertFalse(tabs?.description.contains(Self.secret) ?? true, tabs?.description ?? "")
        let list = diagnostic { try ConfigLoader.load(environment: try self.home("secret_key:\n  - \(Self.secret)\n")) }
        XCTAssertEqual(list?.place, .configKey(dir + "/home/.config/scw/config.yaml:2"))
        XCTAssertFalse(list?.description.contains(Self.secret) ?? true)
    }

    // MARK: Secrets never shown

    func testDescriptionMasksSecret() throws {
        let c = try ConfigLoader.load(profile: "prod", environment: try home(standardFile))
        XCTAssertFalse(c.description.contains(Self.secret2))
        XCTAssertFalse(String(describing: c).contains(Self.secret2))
        XCTAssertTrue(c.description.contains("secret_key: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"), c.description)
        XCTAssertTrue(c.description.contains("access_key: \(Self.access)"))
        XCTAssertTrue(c.description.contains("profile: prod"))
        XCTAssertEqual(ScalewayConfig.mask(secret: Self.secret), "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
    }

    func testNoMessageEverContainsTheSecret() throws {
        let secret = Self.secret
        let cases: [(String, [String: String], String?)] = [
            ("access_key: bad\nsecret_key: \(secret)\n", [:], nil),
            ("access_key: \(Self.access)\nsecret_key: \(secret)\ndefault_zone: mars-1\n", [:], nil),
            ("secret_key: \(secret)\n", [:], nil),
            ("secret_key: \(secret)\nprofiles: [\n", [:], nil),
            ("secret_key: \(secret)\nsecret_key: \(secret)\n", [:], nil),
            ("secret_key: '\(secret)\n", [:], nil),
            ("secret_key: \(secret)\n", ["SCW_ACCESS_KEY": secret], nil),
            ("secret_key: \(secret)x\naccess_key: \(Self.access)\n", [:], nil),
            ("secret_key: \(secret)\naccess_key: \(Self.access)\n", [:], "nope"),
            ("", ["SCW_SECRET_KEY": secret + "!", "SCW_ACCESS_KEY": Self.access], nil),
        ]
        for (yaml, extra, profile) in cases {
            do {
                let c = try ConfigLoader.load(profile: profile, environment: try home(yaml, extra: extra))
                XCTAssertFalse(c.description.contains(secret))
            } catch {
                let text = "\(error)"
                XCTAssertFalse(text.contains(secret), "secret leaked for \(yaml.debugDescription): \(text)")
                XCTAssertFalse(text.contains(String(secret.prefix(8))), "part of the secret leaked: \(text)")
            }
        }
    }

    func testLocalConfig() {
        let c = ScalewayConfig.local(baseURL: "http://127.0.0.1:4567/")
        XCTAssertEqual(c.apiURL, "http://127.0.0.1:4567")
        XCTAssertTrue(ConfigValidation.isAccessKey(c.accessKey))
        XCTAssertTrue(ConfigValidation.isUUID(c.secretKey))
        XCTAssertTrue(ConfigValidation.isUUID(c.defaultProjectID ?? ""))
        XCTAssertEqual(c.profile, "local")
        XCTAssertFalse(c.description.contains(c.secretKey))
    }
}
