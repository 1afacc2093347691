internal import CRdKafka

/// A record's headers, built into librdkafka's own list before the record is produced.
///
/// A concrete, non-generic type on purpose: the produce call crosses from `RdKafka` into this
/// module on every record, and a generic parameter there is not specialised across the module
/// boundary, which cost each record generic-metadata lookups even when it had no headers.
///
/// Non-copyable so that the list has one owner: it is destroyed here unless ``take()`` hands it
/// to `rd_kafka_producev`, which owns it from then on when it accepts the record.
package struct NativeHeaderList: ~Copyable {
    private let pointer: OpaquePointer

    /// An empty list with room for `capacity` headers (it grows past that if needed).
    package init(capacity: Int) {
        pointer = rd_kafka_headers_new(capacity)
    }

    /// Adds a header; `nil` is a header with no value, distinct from an empty one.
    package func append(name: String, value: [UInt8]?) {
        // withCString lends a native string's own bytes; utf8CString would copy them.
        name.withCString { cName in
            _ = value.withOptionalBytes { bytes, length in
                rd_kafka_header_add(pointer, cName, name.utf8.count, bytes, length)
            }
        }
    }

    /// Gives up ownership of the list: the caller passes it to librdkafka, and destroys it
    /// itself if librdkafka refuses the record.
    consuming func take() -> OpaquePointer {
        let list = pointer
        discard self
        return list
    }

    deinit {
        rd_kafka_headers_destroy(pointer)
    }
}
