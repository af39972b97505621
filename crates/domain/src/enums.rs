//! Closed sets of stored values (states, kinds, statuses, codes) as Rust enums with a stable text id and
//! a Chinese label: the `string_enum!` macro every area uses, and [`UnknownValue`], the error for an id
//! that names no value.
//!
//! A `string_enum!` value is stored, serialised (serde) and sent by the API as its id — exactly the
//! literal written beside the variant, dots and capitals included (`auth.login_failed`, `INACTIVE`) — and
//! read back only through `parse` or `FromStr`: an unknown id is an error naming the type
//! and the text, never a default. Behind the `sea-orm` feature the types also carry sea-orm's value
//! traits, so the store's entities hold them directly.

/// Declares `pub enum $name` with `ALL`, `id()`, `label()`, `parse()`, `Display` (the id), `FromStr`
/// (refusing unknown ids with [`UnknownValue`]), serde as the id, and sea-orm's value traits behind the
/// `sea-orm` feature.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $id:literal => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType))]
        #[cfg_attr(feature = "sea-orm", sea_orm(value_type = "String"))]
        pub enum $name { $($(#[$vm])* $var),+ }

        impl std::str::FromStr for $name {
            type Err = $crate::enums::UnknownValue;
            /// The stored id back to the value; an unknown id is an error naming the type and the text,
            /// never a default.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::enums::UnknownValue { kind: stringify!($name), value: s.to_owned() })
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// Stable identifier stored in the database and used by the API.
            pub fn id(self) -> &'static str {
                match self { $($name::$var => $id),+ }
            }
            /// Chinese label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$var => $label),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($id => Some($name::$var),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use string_enum;

/// A stored or submitted id that names no value of a `string_enum!` type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} value: {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

#[cfg(test)]
mod tests {
    string_enum! {
        /// A test type whose ids are not the snake case of its variants.
        Sample {
            Dotted = "sample.dotted" => "带点",
            Loud = "LOUD_CODE" => "大写",
            Short = "short" => "简短",
        }
    }

    #[test]
    fn serde_uses_the_id_and_refuses_unknown_ids() {
        for s in Sample::ALL {
            let json = serde_json::to_string(s).expect("json");
            assert_eq!(json, format!("\"{}\"", s.id()));
            assert_eq!(serde_json::from_str::<Sample>(&json).expect("back"), *s);
            assert_eq!(s.id().parse::<Sample>(), Ok(*s));
        }
        let err = serde_json::from_str::<Sample>("\"dotted\"").expect_err("unknown");
        assert!(err.to_string().contains("unknown Sample value"), "{err}");
        let err = "sample".parse::<Sample>().expect_err("unknown");
        assert_eq!((err.kind, err.value.as_str()), ("Sample", "sample"));
        // Inside a struct read from bytes (not borrowed), as the store reads JSON columns.
        let v: Vec<Sample> = serde_json::from_reader(&b"[\"LOUD_CODE\",\"short\"]"[..]).expect("owned text");
        assert_eq!(v, [Sample::Loud, Sample::Short]);
        assert_eq!(Sample::Dotted.to_string(), "sample.dotted");
        assert_eq!(Sample::Loud.label(), "大写");
    }
}
