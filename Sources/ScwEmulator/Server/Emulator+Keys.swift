// Emulator+Keys: the key pair every emulator accepts (the one `--local` and `--endpoint` use),
// for banners and tools that point an S3 client at an emulator. Not secret: fixed and fake.

extension Emulator {
    public static var localAccessKey: String { S3Service.localAccessKey }
    public static var localSecretKey: String { S3Service.localSecretKey }
}
