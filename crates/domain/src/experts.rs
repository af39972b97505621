//! The expert committee (P5): what the domain knows of an expert's standing in the registry.

crate::enums::string_enum! {
    /// An expert's standing in the committee: only `active` experts are drawn (P4, S4).
    ExpertStatus {
        Active = "active" => "在库",
        Suspended = "suspended" => "暂停",
        Retired = "retired" => "退出",
    }
}
