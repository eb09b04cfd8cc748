//! JSON read into a [`Value`] with every object's keys unique.
//!
//! `serde_json` keeps the last of two equal keys in one object (`{"name":"A","name":"B"}` reads
//! as `{"name":"B"}`), so a typo or a bad merge silently loses data. [`from_str`] and
//! [`from_slice`] refuse such an object instead: the error names the key and, like every
//! `serde_json` error, carries its line and column. Everything else (depth limit, numbers, order
//! of keys) is as `serde_json::from_str::<Value>`.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// A JSON value read with no repeated key in any of its objects; deserialize it from any
/// `serde_json` deserializer (for instance as axum's `Json<UniqueKeys>`).
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueKeys(pub Value);

/// Parses JSON text, refusing an object with a repeated key.
pub fn from_str(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str::<UniqueKeys>(text).map(|v| v.0)
}

/// Parses JSON bytes (UTF-8), refusing an object with a repeated key.
pub fn from_slice(bytes: &[u8]) -> serde_json::Result<Value> {
    serde_json::from_slice::<UniqueKeys>(bytes).map(|v| v.0)
}

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(UniqueKeys)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        UniqueKeys::deserialize(deserializer).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(UniqueKeys(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key {key:?} in one object")));
            }
            let UniqueKeys(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_repeated_key_is_refused_with_its_name_and_position() {
        let e = from_str("{\"name\":\"A\",\n \"name\":\"B\"}").unwrap_err();
        assert!(e.to_string().contains("duplicate key \"name\""), "{e}");
        assert_eq!(e.line(), 2);
        // Nested objects too; the same key in two objects is fine.
        assert!(from_str(r#"{"a":{"x":1,"x":2}}"#).is_err());
        assert!(from_slice(br#"[{"x":1},{"x":2}]"#).is_ok());
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"b":[1,-2,3.5,1e300,18446744073709551615],"a":null,"c":{"d":true,"e":"é\n"}}"#;
        let ours = from_str(text).unwrap();
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.as_object().unwrap().keys().collect::<Vec<_>>(), ["b", "a", "c"]);
        assert_eq!(from_str("\"x\"").unwrap(), json!("x"));
        // Depth is still limited, without a stack overflow.
        assert!(from_str(&"[".repeat(100_000)).is_err());
    }
}
