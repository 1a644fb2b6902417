import HTTPTypes
import NIOCore

/// A complete response of the beacon front end.
struct BeaconReply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.headers[.contentLength] = String(body.readableBytes)
        self.body = body
    }

    /// `POST /e` stored (or deliberately dropped) everything.
    static let accepted = BeaconReply(status: .accepted, headers: [.accessControlAllowOrigin: "*"])

    /// `GET /e.gif` stored the event: a transparent 1×1 GIF.
    static let pixel = BeaconReply(
        status: .ok, headers: [.contentType: "image/gif", .cacheControl: "no-store"], body: ByteBuffer(bytes: transparentGIF))

    /// The smallest transparent 1×1 GIF.
    static let transparentGIF: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
    ]
}
