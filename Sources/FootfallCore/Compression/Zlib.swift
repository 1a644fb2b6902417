import CZlib

/// zlib compression of byte arrays: raw zlib streams for storage, gzip for HTTP.
public enum Zlib {
    /// Why a compressed buffer could not be inflated.
    public enum Failure: Error, Equatable {
        case corrupt(code: Int32)
        case sizeMismatch(expected: Int, actual: Int)
    }

    /// Compresses `bytes` into a zlib stream (`format: .zlib`) or a gzip member (`.gzip`).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6, format: Format = .zlib) -> [UInt8] {
        var stream = z_stream()
        let windowBits: Int32 = format == .gzip ? 15 + 16 : 15
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Inflates a zlib stream produced by ``compress(_:level:format:)`` whose original
    /// size is known (stored beside it), verifying that size.
    public static func decompress(_ bytes: [UInt8], originalSize: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt(code: Z_MEM_ERROR)
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: originalSize)
        var input = bytes
        let (code, produced) = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                let code = inflate(&stream, Z_FINISH)
                return (code, outBuffer.count - Int(stream.avail_out))
            }
        }
        guard code == Z_STREAM_END else { throw .corrupt(code: code) }
        guard produced == originalSize else { throw .sizeMismatch(expected: originalSize, actual: produced) }
        return output
    }

    /// CRC-32 of `bytes` (the checksum zlib and gzip use), for verifying stored blobs.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    /// Container format of compressed output.
    public enum Format: Sendable {
        case zlib, gzip
    }
}
