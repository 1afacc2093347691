import SwiftProtobuf

/// `shop.Order` from a `shop/order.proto` that defines `shop.Customer` first, written out as
/// protoc-gen-swift would write it, so the tests need no code generation; its file descriptor
/// is ``descriptor``. Being the second message, its registry message indexes are `[1]`.
struct ShopOrder: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase, SwiftProtobuf._ProtoNameProviding, Sendable {
    static let protoMessageName = "shop.Order"
    static let _protobuf_nameMap = SwiftProtobuf._NameMap(bytecode: "\0\u{1}id\0\u{1}item\0")

    var id: Int64 = 0
    var item = ""
    var unknownFields = SwiftProtobuf.UnknownStorage()

    init() {}

    init(id: Int64, item: String) {
        self.id = id
        self.item = item
    }

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let fieldNumber = try decoder.nextFieldNumber() {
            switch fieldNumber {
            case 1: try decoder.decodeSingularInt64Field(value: &id)
            case 2: try decoder.decodeSingularStringField(value: &item)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if id != 0 { try visitor.visitSingularInt64Field(value: id, fieldNumber: 1) }
        if !item.isEmpty { try visitor.visitSingularStringField(value: item, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (lhs: ShopOrder, rhs: ShopOrder) -> Bool {
        lhs.id == rhs.id && lhs.item == rhs.item && lhs.unknownFields == rhs.unknownFields
    }

    /// The `.proto` file, as a descriptor.
    static let descriptor: Google_Protobuf_FileDescriptorProto = {
        func field(_ name: String, _ number: Int32, _ type: Google_Protobuf_FieldDescriptorProto.TypeEnum)
            -> Google_Protobuf_FieldDescriptorProto
        {
            var field = Google_Protobuf_FieldDescriptorProto()
            field.name = name
            field.number = number
            field.type = type
            field.label = .optional
            field.jsonName = name
            return field
        }
        var customer = Google_Protobuf_DescriptorProto()
        customer.name = "Customer"
        customer.field = [field("name", 1, .string)]
        var order = Google_Protobuf_DescriptorProto()
        order.name = "Order"
        order.field = [field("id", 1, .int64), field("item", 2, .string)]
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "shop/order.proto"
        file.package = "shop"
        file.syntax = "proto3"
        file.messageType = [customer, order]
        return file
    }()
}
