// Interoperability: botocore (an S3 client and SigV4 signer we did not write) drives the emulator
// through buckets, configurations, objects, paginated listings and errors. Skipped without boto3
// (scripts/setup.sh installs it with moto[server]).

import Foundation
import XCTest
@testable import ScwEmulator

final class S3InteropTests: XCTestCase {
    private static let script = #"""
import sys, urllib.request, boto3, botocore
from botocore.config import Config
url = sys.argv[1]
def client(region="fr-par", secret="00000000-0000-4000-8000-00000000e0e0", style="path"):
    return boto3.client("s3", endpoint_url=url, region_name=region, aws_access_key_id="SCWLOCALEMULATOR0000",
        aws_secret_access_key=secret, config=Config(s3={"addressing_style": style}, retries={"max_attempts": 1}))
def code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    raise AssertionError("no error")
s3 = client(region="nl-ams")
s3.create_bucket(Bucket="boto", CreateBucketConfiguration={"LocationConstraint": "nl-ams"})
assert s3.get_bucket_location(Bucket="boto")["LocationConstraint"] == "nl-ams"
assert code(lambda: s3.create_bucket(Bucket="boto", CreateBucketConfiguration={"LocationConstraint": "nl-ams"})) == "BucketAlreadyOwnedByYou"
s3.put_bucket_versioning(Bucket="boto", VersioningConfiguration={"Status": "Enabled"})
assert s3.get_bucket_versioning(Bucket="boto")["Status"] == "Enabled"
s3.put_bucket_tagging(Bucket="boto", Tagging={"TagSet": [{"Key": "env", "Value": "a b&c"}]})
assert s3.get_bucket_tagging(Bucket="boto")["TagSet"] == [{"Key": "env", "Value": "a b&c"}]
s3.put_bucket_acl(Bucket="boto", ACL="public-read")
assert [g["Permission"] for g in s3.get_bucket_acl(Bucket="boto")["Grants"]] == ["FULL_CONTROL", "READ"]
s3.put_bucket_cors(Bucket="boto", CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["*"], "MaxAgeSeconds": 60}]})
assert s3.get_bucket_cors(Bucket="boto")["CORSRules"][0]["AllowedMethods"] == ["GET", "PUT"]
s3.put_bucket_lifecycle_configuration(Bucket="boto", LifecycleConfiguration={"Rules": [
    {"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 7}}]})
assert s3.get_bucket_lifecycle_configuration(Bucket="boto")["Rules"][0]["Expiration"] == {"Days": 7}
s3.delete_bucket_cors(Bucket="boto")
assert code(lambda: s3.get_bucket_cors(Bucket="boto")) == "NoSuchCORSConfiguration"
assert code(lambda: s3.get_object_lock_configuration(Bucket="boto")) == "ObjectLockConfigurationNotFoundError"
keys = ["a b+c/é.txt", "dir/x=y&z", "dir/sub/~tilde", "plain"]
for k in keys:
    s3.put_object(Bucket="boto", Key=k, Body=("data " + k).encode())
    s3.put_object(Bucket="boto", Key=k, Body=("v2 " + k).encode())
assert s3.get_object(Bucket="boto", Key=keys[0])["Body"].read() == ("v2 " + keys[0]).encode()
assert s3.head_object(Bucket="boto", Key="plain")["ContentLength"] == len("v2 plain")
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="boto", PaginationConfig={"PageSize": 1})
assert [o["Key"] for p in pages for o in p.get("Contents", [])] == sorted(keys)
pages = s3.get_paginator("list_objects").paginate(Bucket="boto", Prefix="dir/", Delimiter="/")
assert [c["Prefix"] for p in pages for c in p.get("CommonPrefixes", [])] == ["dir/sub/"]
assert code(lambda: s3.put_object(Bucket="boto", Key="plain", Body=b"x", IfNoneMatch="*")) == "PreconditionFailed"
s3.delete_object(Bucket="boto", Key="plain")
assert code(lambda: s3.get_object(Bucket="boto", Key="plain")) == "NoSuchKey"
assert code(lambda: s3.delete_bucket(Bucket="boto")) == "BucketNotEmpty"
pages = s3.get_paginator("list_object_versions").paginate(Bucket="boto", PaginationConfig={"PageSize": 2})
entries = [(v["Key"], v["VersionId"]) for p in pages for v in p.get("Versions", []) + p.get("DeleteMarkers", [])]
assert len(entries) == 9, entries
for i in range(0, len(entries), 4):
    r = s3.delete_objects(Bucket="boto", Delete={"Objects": [{"Key": k, "VersionId": v} for k, v in entries[i:i + 4]]})
    assert not r.get("Errors") and len(r["Deleted"]) == len(entries[i:i + 4]), r
s3.delete_bucket(Bucket="boto")
assert code(lambda: s3.head_bucket(Bucket="boto")) == "404"
fr = client()
fr.create_bucket(Bucket="boto-fr")
fr.put_object(Bucket="boto-fr", Key="k", Body=b"presigned")
assert urllib.request.urlopen(fr.generate_presigned_url("get_object", Params={"Bucket": "boto-fr", "Key": "k"}, ExpiresIn=60)).read() == b"presigned"
assert code(lambda: client(secret="wrong").list_buckets()) == "SignatureDoesNotMatch"
assert [b["Name"] for b in fr.list_buckets()["Buckets"]] == ["boto-fr"]
print("OK")
"""#

    func testBotocoreAgainstTheEmulator() throws {
        guard run(["-c", "import boto3"]).status == 0 else { throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "boto3 is not installed (scripts/setup.sh installs moto[server])" + " (scripts/setup.sh installs it: a missing tool fails the test)"]) }
        let harness = try EmulatorHarness()
        let result = run(["-c", S3InteropTests.script, harness.emulator.baseURL])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.hasSuffix("OK\n"), result.output)
    }

    /// Runs python3 with `arguments` (killed after 120 s); exit status and combined output.
    private func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in ["AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
                       "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"] { environment[k] = v }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
