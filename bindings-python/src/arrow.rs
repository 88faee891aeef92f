//! Arrow data in and out (through pyo3-arrow and arrow-rs): Arrow arrays become the core's
//! `Column`s, the core's `ColumnarResult` becomes an Arrow `RecordBatch`. Binding conversion
//! only: which value a cell holds is decided by the core (`Engine::evaluate_columns`), which
//! reads text, numbers and dates by the field's type and reports every bad cell.
//!
//! Output schema (fixed before the first row, so a stream can announce it):
//! `id` (the input's `id` column, or nulls), then per decision `<name>` (dictionary of
//! "yes"/"no"/"unknown") and, for decisions that carry a value, `<name>.value` (typed by
//! `Engine::output_types`), then `errors` (per row: list of `{field, code, message: {vi, en}}`).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float64Type, Int64Type, Int8Type, UInt64Type,
};
use arrow_array::{
    new_null_array, Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray,
    Int64Array, Int8Array, ListArray, RecordBatch, RecordBatchReader, StringArray, StructArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use htx_rules::{
    BatchNotes, Column, ColumnBatch, ColumnarResult, Date, Engine, FieldError, FieldKind, Lang,
    Options, Outcome, Scalar, ValueType,
};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

/// Rows evaluated at a time: bounds the memory of the core's columns and of one output batch.
pub const CHUNK: usize = 65_536;

/// What the entity's schema says a column is (from `Engine::fields`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Decimal,
    Bool,
    Date,
    Text,
    Json,
}

impl Kind {
    pub(crate) fn of(kind: FieldKind) -> Kind {
        match kind {
            FieldKind::Bool => Kind::Bool,
            FieldKind::Integer => Kind::Int,
            FieldKind::Decimal | FieldKind::Share | FieldKind::Money => Kind::Decimal,
            FieldKind::Date => Kind::Date,
            FieldKind::String | FieldKind::Enum => Kind::Text,
            _ => Kind::Json,
        }
    }

    /// The name `Engine.field_types` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::Decimal => "decimal",
            Kind::Bool => "bool",
            Kind::Date => "date",
            Kind::Text => "text",
            Kind::Json => "json",
        }
    }
}

/// Dotted field path -> kind, for every field of `entity` (records' fields under their paths).
pub fn field_kinds(
    engine: &Engine,
    entity: &str,
) -> Result<HashMap<String, Kind>, htx_rules::Error> {
    Ok(engine
        .fields(entity)?
        .into_iter()
        .map(|f| (f.path, Kind::of(f.kind)))
        .collect())
}

/// Which value columns to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// Only for decisions that carry a value.
    Auto,
    /// For every decision (all-null for those without a value).
    All,
    /// None.
    None,
}

impl Values {
    pub fn parse(s: &str) -> Option<Values> {
        match s {
            "auto" => Some(Values::Auto),
            "all" => Some(Values::All),
            "none" => Some(Values::None),
            _ => None,
        }
    }
}

/// An answer batch and the field errors of its rows (rows numbered from the data's start).
pub type Answer = (RecordBatch, Vec<(usize, FieldError)>);

/// Everything that can go wrong, kept apart so each becomes the right Python exception.
#[derive(Debug)]
pub enum EvalError {
    Core(htx_rules::Error),
    Arrow(ArrowError),
    /// A column of a type that cannot hold a fact (message names the column and type).
    Type(String),
}

impl From<htx_rules::Error> for EvalError {
    fn from(e: htx_rules::Error) -> Self {
        EvalError::Core(e)
    }
}
impl From<ArrowError> for EvalError {
    fn from(e: ArrowError) -> Self {
        EvalError::Arrow(e)
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Core(e) => {
                let m = e.message();
                write!(f, "{} ({}) [{}]", m.vi, m.en, e.code())
            }
            EvalError::Arrow(e) => write!(f, "{e}"),
            EvalError::Type(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for EvalError {}

impl From<EvalError> for pyo3::PyErr {
    fn from(e: EvalError) -> Self {
        match e {
            EvalError::Core(e) => crate::errors::to_py_err(&e),
            EvalError::Arrow(e) => pyo3::exceptions::PyValueError::new_err(e.to_string()),
            EvalError::Type(s) => pyo3::exceptions::PyTypeError::new_err(s),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arrow -> core columns

fn type_error(path: &str, dt: &DataType) -> EvalError {
    EvalError::Type(format!(
        "cột `{path}` có kiểu Arrow {dt}, không đọc được thành dữ kiện \
         (column `{path}` has Arrow type {dt}, which cannot be read as a fact)"
    ))
}

fn valid_mask(arr: &dyn Array) -> Option<Vec<bool>> {
    arr.logical_nulls()
        .filter(|n| n.null_count() > 0)
        .map(|n| n.iter().collect())
}

fn texts(arr: &dyn Array, path: &str) -> Result<Column, EvalError> {
    Ok(Column::Text(match arr.data_type() {
        DataType::Utf8 => arr
            .as_string::<i32>()
            .iter()
            .map(|s| s.map(str::to_owned))
            .collect(),
        DataType::LargeUtf8 => arr
            .as_string::<i64>()
            .iter()
            .map(|s| s.map(str::to_owned))
            .collect(),
        DataType::Utf8View => arr
            .as_string_view()
            .iter()
            .map(|s| s.map(str::to_owned))
            .collect(),
        dt => {
            let cast = arrow_cast::cast(arr, &DataType::Utf8).map_err(|_| type_error(path, dt))?;
            return texts(cast.as_ref(), path);
        }
    }))
}

/// Floats and decimals that do not fit the core's decimal (infinities, > 28 places, > 96 bits)
/// go as text, so the core reports the cell instead of the binding dropping it.
fn decimals_or_text(
    arr: &dyn Array,
    path: &str,
    values: Vec<Option<Option<Decimal>>>,
) -> Result<Column, EvalError> {
    if values.iter().all(|v| !matches!(v, Some(None))) {
        return Ok(Column::Decimal(
            values.into_iter().map(Option::flatten).collect(),
        ));
    }
    texts(arr, path)
}

/// A float as the core reads the same number in JSON: its shortest round-trip text, parsed.
fn float_decimal(f: f64) -> Option<Decimal> {
    let text = serde_json::Number::from_f64(f)?.to_string();
    Decimal::from_str(&text)
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

/// One Arrow array as a core column; `None` for an all-null (`null`-typed) column.
pub fn column(
    arr: &dyn Array,
    kind: Option<Kind>,
    path: &str,
    kinds: &HashMap<String, Kind>,
) -> Result<Option<Column>, EvalError> {
    let dt = arr.data_type();
    if kind == Some(Kind::Text)
        && !matches!(
            dt,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
        )
        && !matches!(dt, DataType::Dictionary(..))
    {
        return texts(arr, path).map(Some);
    }
    let col = match dt {
        DataType::Null => return Ok(None),
        DataType::Boolean => Column::Bool(arr.as_boolean().iter().collect()),
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => {
            let cast = arrow_cast::cast(arr, &DataType::Int64)?;
            let ints = cast.as_primitive::<Int64Type>();
            if kind == Some(Kind::Bool) {
                // 0/1 columns (pandas, spreadsheets) for yes/no facts
                Column::Bool(ints.iter().map(|v| v.map(|v| v != 0)).collect())
            } else {
                Column::Int(ints.iter().collect())
            }
        }
        DataType::UInt64 => {
            let ints = arr.as_primitive::<UInt64Type>();
            if kind == Some(Kind::Bool) {
                Column::Bool(ints.iter().map(|v| v.map(|v| v != 0)).collect())
            } else {
                // the core turns whole decimals into counts where they fit
                Column::Decimal(ints.iter().map(|v| v.map(Decimal::from)).collect())
            }
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let cast = arrow_cast::cast(arr, &DataType::Float64)?;
            let floats = cast.as_primitive::<Float64Type>();
            if kind == Some(Kind::Bool) {
                Column::Bool(floats.iter().map(|v| v.map(|v| v != 0.0)).collect())
            } else {
                // NaN is pandas' missing value; other floats become the decimal of their
                // shortest text, exactly as the same number in a JSON record would
                let values = floats
                    .iter()
                    .map(|v| match v {
                        None => None,
                        Some(f) if f.is_nan() => None,
                        Some(f) => Some(float_decimal(f)),
                    })
                    .collect();
                decimals_or_text(arr, path, values)?
            }
        }
        DataType::Decimal128(_, scale) => {
            let scale = *scale;
            let decs = arr.as_primitive::<Decimal128Type>();
            let values = decs
                .iter()
                .map(|v| {
                    v.map(|m| {
                        u32::try_from(scale)
                            .ok()
                            .and_then(|s| Decimal::try_from_i128_with_scale(m, s).ok())
                    })
                })
                .collect();
            decimals_or_text(arr, path, values)?
        }
        DataType::Decimal32(_, scale) | DataType::Decimal64(_, scale) => {
            // widening to 128 bits at the same scale is exact
            let cast = arrow_cast::cast(arr, &DataType::Decimal128(38, *scale))?;
            return column(cast.as_ref(), kind, path, kinds);
        }
        // 256-bit decimals go as their text: the core takes what fits and reports the rest
        DataType::Decimal256(..) => texts(arr, path)?,
        DataType::Date32 => Column::Date(
            arr.as_primitive::<Date32Type>()
                .iter()
                .map(|d| d.map(|d| Date::from_unix_days(i64::from(d))))
                .collect(),
        ),
        DataType::Date64 | DataType::Timestamp(..) => {
            // a timestamp with a time zone is read as the date on the wall clock there
            let cast = arrow_cast::cast(arr, &DataType::Date32)?;
            return column(cast.as_ref(), kind, path, kinds);
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => texts(arr, path)?,
        DataType::Dictionary(_, value) => {
            let cast = arrow_cast::cast(arr, value).map_err(|_| type_error(path, dt))?;
            return column(cast.as_ref(), kind, path, kinds);
        }
        DataType::List(_) => {
            let list = arr.as_list::<i32>();
            let offs: Vec<i64> = list.value_offsets().iter().map(|&o| i64::from(o)).collect();
            list_column(arr, &offs, list.values(), path, kinds)?
        }
        DataType::LargeList(_) => {
            let list = arr.as_list::<i64>();
            list_column(arr, list.value_offsets(), list.values(), path, kinds)?
        }
        DataType::FixedSizeList(..) | DataType::ListView(_) | DataType::LargeListView(_) => {
            let field = match dt {
                DataType::FixedSizeList(f, _)
                | DataType::ListView(f)
                | DataType::LargeListView(f) => f.clone(),
                _ => return Err(type_error(path, dt)),
            };
            let cast = arrow_cast::cast(arr, &DataType::LargeList(field))
                .map_err(|_| type_error(path, dt))?;
            return column(cast.as_ref(), kind, path, kinds);
        }
        DataType::Struct(fields) => {
            let st = arr.as_struct();
            let mut out = Vec::with_capacity(fields.len());
            for (f, child) in fields.iter().zip(st.columns()) {
                let sub = format!("{path}.{}", f.name());
                if let Some(c) = column(child.as_ref(), kinds.get(&sub).copied(), &sub, kinds)? {
                    out.push((f.name().clone(), c));
                }
            }
            Column::Struct {
                rows: arr.len(),
                valid: valid_mask(arr),
                fields: out,
            }
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => texts(arr, path)?,
        _ => texts(arr, path)?,
    };
    Ok(Some(col))
}

/// A list column: offsets rebased to 0, the items converted (an all-null item type gives
/// null items, which the core reports).
fn list_column(
    arr: &dyn Array,
    offsets: &[i64],
    values: &ArrayRef,
    path: &str,
    kinds: &HashMap<String, Kind>,
) -> Result<Column, EvalError> {
    let start = offsets.first().copied().unwrap_or(0);
    let end = offsets.last().copied().unwrap_or(0);
    let as_usize =
        |o: i64| usize::try_from(o - start).map_err(|_| type_error(path, arr.data_type()));
    let len = as_usize(end)?;
    let first = usize::try_from(start).map_err(|_| type_error(path, arr.data_type()))?;
    if first.checked_add(len).is_none_or(|e| e > values.len()) {
        return Err(type_error(path, arr.data_type()));
    }
    let items = values.slice(first, len);
    let rebased = offsets
        .iter()
        .map(|&o| as_usize(o))
        .collect::<Result<Vec<usize>, _>>()?;
    let items = match column(items.as_ref(), None, path, kinds)? {
        Some(c) => c,
        None => Column::Json(vec![None; len]),
    };
    Ok(Column::List {
        offsets: rebased,
        valid: valid_mask(arr),
        items: Box::new(items),
    })
}

// ---------------------------------------------------------------------------------------------
// The plan: input columns to read, output schema

/// One output decision.
struct Output {
    name: String,
    /// The value column's type; `None` without a value column.
    value: Option<Option<ValueType>>,
}

/// How one stream is read and answered: fixed from the input's schema before the first row.
pub struct Plan {
    engine: Arc<Engine>,
    entity: String,
    as_of: Date,
    options: Options,
    /// What the columns say before any row: ignored columns, decisions no column can decide.
    notes: BatchNotes,
    kinds: HashMap<String, Kind>,
    /// (input column index, path, kind)
    inputs: Vec<(usize, String, Kind)>,
    id: Option<usize>,
    outputs: Vec<Output>,
    schema: SchemaRef,
    /// The outcomes' dictionary, one array shared by every answer batch: batches put together
    /// (`concat_batches`, pandas) keep one dictionary of three values, not one per batch.
    dictionary: ArrayRef,
    /// `HTX_PROFILE` set: print the time split of every chunk on stderr.
    profile: bool,
}

const OUTCOMES: [&str; 3] = ["yes", "no", "unknown"];

fn outcome_code(o: Outcome) -> i8 {
    match o {
        Outcome::Yes => 0,
        Outcome::No => 1,
        Outcome::Unknown => 2,
    }
}

/// Decimal scale of a value column: every share the core computes (28 places at most, below
/// 10^10) is exact at 28; money and plain numbers keep 8 and 18 places (30 and 20 digits before
/// the point). A value with more places is rounded half to even at that scale.
fn decimal_scale(v: ValueType) -> Option<i8> {
    match v {
        ValueType::Share => Some(28),
        ValueType::Money => Some(8),
        ValueType::Decimal => Some(18),
        _ => None,
    }
}

fn value_data_type(v: Option<ValueType>) -> DataType {
    match v {
        None => DataType::Null,
        Some(ValueType::Bool) => DataType::Boolean,
        Some(ValueType::Int) => DataType::Int64,
        Some(ValueType::Date) => DataType::Date32,
        Some(ValueType::Text) => DataType::Utf8,
        Some(d @ (ValueType::Share | ValueType::Money | ValueType::Decimal)) => {
            DataType::Decimal128(38, decimal_scale(d).unwrap_or(28))
        }
    }
}

fn outcome_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
}

fn message_fields() -> Fields {
    Fields::from(vec![
        Field::new("vi", DataType::Utf8, false),
        Field::new("en", DataType::Utf8, false),
    ])
}

fn error_fields() -> Fields {
    Fields::from(vec![
        Field::new("field", DataType::Utf8, false),
        Field::new("code", DataType::Utf8, false),
        Field::new("message", DataType::Struct(message_fields()), false),
    ])
}

fn error_item() -> FieldRef {
    Arc::new(Field::new("item", DataType::Struct(error_fields()), false))
}

/// The type of the `errors` column.
pub fn errors_type() -> DataType {
    DataType::List(error_item())
}

impl Plan {
    pub fn new(
        engine: Arc<Engine>,
        entity: &str,
        as_of: Date,
        input: &Schema,
        values: Values,
        strict: bool,
    ) -> Result<Plan, EvalError> {
        let mut options = Options::default();
        options.strict = strict;
        // columns not in the schema: a misspelled one (strict: any) is an error, the others
        // are said once; the core checks them, then only the schema's are read
        let names: Vec<&str> = input
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .filter(|n| *n != "__rows__")
            .collect();
        let notes = engine.check_columns(entity, &names, options)?;
        let types = engine.output_types(entity)?;
        let kinds = field_kinds(&engine, entity)?;
        let mut inputs = Vec::new();
        let mut id = None;
        for (i, f) in input.fields().iter().enumerate() {
            if f.name() == "id" {
                id = Some(i);
            }
            // columns that name no field are not read (the core would ignore them)
            if let Some(&k) = kinds.get(f.name()) {
                inputs.push((i, f.name().clone(), k));
            }
        }
        let id_field = match id.and_then(|i| input.fields().get(i)) {
            Some(f) => Field::new("id", f.data_type().clone(), true),
            None => Field::new("id", DataType::Utf8, true),
        };
        let mut fields = vec![id_field];
        let mut outputs = Vec::with_capacity(types.len());
        for t in types {
            fields.push(Field::new(&t.name, outcome_type(), false));
            let value = match (values, t.value) {
                (Values::None, _) | (Values::Auto, None) => None,
                (_, v) => Some(v),
            };
            if let Some(v) = value {
                fields.push(Field::new(
                    format!("{}.value", t.name),
                    value_data_type(v),
                    true,
                ));
            }
            outputs.push(Output {
                name: t.name,
                value,
            });
        }
        fields.push(Field::new("errors", errors_type(), false));
        Ok(Plan {
            engine,
            entity: entity.to_owned(),
            as_of,
            options,
            notes,
            kinds,
            inputs,
            id,
            outputs,
            schema: Arc::new(Schema::new(fields)),
            dictionary: Arc::new(StringArray::from(OUTCOMES.to_vec())),
            profile: std::env::var_os("HTX_PROFILE").is_some(),
        })
    }

    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// What to tell the user about the columns, in `lang`: each ignored column, each decision
    /// no column can decide.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        notes_text(&self.notes, lang)
    }

    /// Evaluates one batch (of at most [`CHUNK`] rows); `objects` are extra columns of JSON
    /// values (Python objects Arrow could not type), `row0` the batch's first row number.
    pub fn evaluate(
        &self,
        batch: &RecordBatch,
        objects: &[(String, &[Value])],
        row0: usize,
    ) -> Result<Answer, EvalError> {
        let n = batch.num_rows();
        let t0 = std::time::Instant::now();
        let mut cols = ColumnBatch::new(n);
        for (i, path, kind) in &self.inputs {
            let Some(arr) = batch.columns().get(*i) else {
                continue;
            };
            if let Some(c) = column(arr.as_ref(), Some(*kind), path, &self.kinds)? {
                cols.push(path.as_str(), c);
            }
        }
        for (path, values) in objects {
            cols.push(
                path.as_str(),
                Column::Json(
                    values
                        .iter()
                        .map(|v| (!v.is_null()).then(|| v.clone()))
                        .collect(),
                ),
            );
        }
        let t1 = std::time::Instant::now();
        let result =
            self.engine
                .evaluate_columns_with(&self.entity, &cols, self.as_of, self.options)?;
        let t2 = std::time::Instant::now();
        let id = match self.id.and_then(|i| batch.columns().get(i)) {
            Some(a) => a.clone(),
            None => new_null_array(&DataType::Utf8, n),
        };
        let out = self.answer(id, &result, n)?;
        if self.profile {
            eprintln!(
                "htx_rules: {n} rows: Arrow -> columns {:?}, core {:?}, answer -> Arrow {:?}",
                t1 - t0,
                t2 - t1,
                t2.elapsed()
            );
        }
        let errors = result
            .errors
            .into_iter()
            .map(|(r, e)| (r + row0, e))
            .collect();
        Ok((out, errors))
    }

    fn answer(
        &self,
        id: ArrayRef,
        result: &ColumnarResult,
        n: usize,
    ) -> Result<RecordBatch, EvalError> {
        let dictionary = &self.dictionary;
        let mut columns: Vec<ArrayRef> = vec![id];
        for out in &self.outputs {
            let k = result.names.iter().position(|x| *x == out.name);
            let outcomes = k.and_then(|k| result.outcomes.get(k));
            let codes: Vec<i8> = match outcomes {
                Some(o) => o.iter().map(|o| outcome_code(*o)).collect(),
                None => vec![2; n],
            };
            let keys = Int8Array::from(codes);
            columns.push(Arc::new(DictionaryArray::<Int8Type>::try_new(
                keys,
                dictionary.clone(),
            )?));
            if let Some(v) = out.value {
                let values = k.and_then(|k| result.values.get(k));
                columns.push(value_array(&out.name, v, values.map(Vec::as_slice), n)?);
            }
        }
        columns.push(errors_array(&result.errors, n)?);
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }
}

fn value_error(name: &str, v: &Scalar) -> EvalError {
    EvalError::Type(format!(
        "giá trị {v:?} của `{name}` không đưa được vào cột (the value {v:?} of `{name}` does not fit its column)"
    ))
}

fn value_array(
    name: &str,
    ty: Option<ValueType>,
    values: Option<&[Option<Scalar>]>,
    n: usize,
) -> Result<ArrayRef, EvalError> {
    let Some(values) = values else {
        return Ok(new_null_array(&value_data_type(ty), n));
    };
    let Some(ty) = ty else {
        return Ok(new_null_array(&DataType::Null, n));
    };
    Ok(match ty {
        ValueType::Bool => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    Some(Scalar::Bool(b)) => Ok(Some(*b)),
                    None => Ok(None),
                    Some(other) => Err(value_error(name, other)),
                })
                .collect::<Result<BooleanArray, _>>()?,
        ),
        ValueType::Int => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    Some(Scalar::Int(i)) => Ok(Some(*i)),
                    Some(Scalar::Decimal(d)) if d.fract().is_zero() => i64::try_from(*d)
                        .map(Some)
                        .map_err(|_| value_error(name, &Scalar::Decimal(*d))),
                    None => Ok(None),
                    Some(other) => Err(value_error(name, other)),
                })
                .collect::<Result<Int64Array, _>>()?,
        ),
        ValueType::Date => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    Some(Scalar::Date(d)) => i32::try_from(d.unix_days())
                        .map(Some)
                        .map_err(|_| value_error(name, &Scalar::Date(*d))),
                    None => Ok(None),
                    Some(other) => Err(value_error(name, other)),
                })
                .collect::<Result<Date32Array, _>>()?,
        ),
        ValueType::Text => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    Some(Scalar::Text(t)) => Ok(Some(t.as_str())),
                    None => Ok(None),
                    Some(other) => Err(value_error(name, other)),
                })
                .collect::<Result<StringArray, _>>()?,
        ),
        ValueType::Share | ValueType::Money | ValueType::Decimal => {
            let scale = decimal_scale(ty).unwrap_or(28);
            let mantissas = values
                .iter()
                .map(|v| match v {
                    None => Ok(None),
                    Some(Scalar::Decimal(d)) => mantissa(*d, scale)
                        .map(Some)
                        .ok_or_else(|| value_error(name, &Scalar::Decimal(*d))),
                    Some(Scalar::Int(i)) => mantissa(Decimal::from(*i), scale)
                        .map(Some)
                        .ok_or_else(|| value_error(name, &Scalar::Int(*i))),
                    Some(other) => Err(value_error(name, other)),
                })
                .collect::<Result<Decimal128Array, _>>()?;
            Arc::new(mantissas.with_precision_and_scale(38, scale)?)
        }
    })
}

/// `d` as an i128 mantissa at `scale` (rounded half to even beyond it); `None` when it does
/// not fit 38 digits.
fn mantissa(d: Decimal, scale: i8) -> Option<i128> {
    let scale = u32::try_from(scale).ok()?;
    let d = if d.scale() > scale {
        d.round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven)
    } else {
        d
    };
    let up = 10i128.checked_pow(scale.checked_sub(d.scale())?)?;
    let m = d.mantissa().checked_mul(up)?;
    (m.unsigned_abs() < 10u128.pow(38)).then_some(m)
}

/// Per row, the cells that were present but malformed: `list<{field, code, message: {vi, en}}>`.
fn errors_array(errors: &[(usize, FieldError)], n: usize) -> Result<ArrayRef, EvalError> {
    let mut sorted: Vec<&(usize, FieldError)> = errors.iter().collect();
    sorted.sort_by_key(|(r, _)| *r);
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0i32);
    let mut k = 0usize;
    for row in 0..n {
        while sorted.get(k).is_some_and(|(r, _)| *r == row) {
            k += 1;
        }
        offsets.push(i32::try_from(k).map_err(|_| EvalError::Type("too many errors".into()))?);
    }
    let kept = sorted.get(..k).unwrap_or_default();
    let field: StringArray = kept.iter().map(|(_, e)| Some(e.field.as_str())).collect();
    let code: StringArray = kept.iter().map(|(_, e)| Some(e.code.as_str())).collect();
    let vi: StringArray = kept
        .iter()
        .map(|(_, e)| Some(e.message.vi.as_str()))
        .collect();
    let en: StringArray = kept
        .iter()
        .map(|(_, e)| Some(e.message.en.as_str()))
        .collect();
    let message = StructArray::try_new(
        message_fields(),
        vec![Arc::new(vi) as ArrayRef, Arc::new(en)],
        None,
    )?;
    let items = StructArray::try_new(
        error_fields(),
        vec![
            Arc::new(field) as ArrayRef,
            Arc::new(code),
            Arc::new(message),
        ],
        None,
    )?;
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    Ok(Arc::new(ListArray::try_new(
        error_item(),
        offsets,
        Arc::new(items),
        None::<NullBuffer>,
    )?))
}

// ---------------------------------------------------------------------------------------------
// Pieces evaluated in parallel

/// The number of threads `threads` asks for: itself when at least 1, else every core the
/// process may use (`std::thread::available_parallelism`, 1 when unknown).
pub fn thread_count(threads: Option<usize>) -> usize {
    match threads {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    }
}

/// Fewest rows in a piece cut only so that threads share a batch: below it the cost of a
/// thread and of one more output batch is no longer small beside the rows' own.
pub const MIN_PIECE: usize = 4_096;

/// Where to cut a batch of `rows` rows: `(offset, length)` pieces of at most [`CHUNK`] rows,
/// as many as `threads` (or a multiple of it) when the batch is big enough for each to get at
/// least [`MIN_PIECE`] rows, so every thread gets a share of the same size. One thread: pieces
/// of [`CHUNK`] rows, as before threads.
pub fn cuts(rows: usize, threads: usize) -> Vec<(usize, usize)> {
    let threads = threads.max(1);
    let mut pieces = rows.div_ceil(CHUNK).max(1);
    if threads > 1 && rows >= threads * MIN_PIECE {
        pieces = pieces.div_ceil(threads) * threads;
    }
    let size = rows.div_ceil(pieces).max(1);
    let mut out = Vec::with_capacity(pieces);
    let mut off = 0;
    while off < rows {
        let len = size.min(rows - off);
        out.push((off, len));
        off += len;
    }
    out
}

/// A slice of the input and the number of its first row in the whole input.
pub struct Piece {
    pub batch: RecordBatch,
    pub row0: usize,
}

/// Cuts `batch` (whose first row is row `row0` of the input) into pieces for `threads` threads.
pub fn pieces(batch: &RecordBatch, row0: usize, threads: usize) -> Vec<Piece> {
    cuts(batch.num_rows(), threads)
        .into_iter()
        .map(|(off, len)| Piece {
            batch: batch.slice(off, len),
            row0: row0 + off,
        })
        .collect()
}

/// Evaluates one piece, with its part of the object columns (JSON values per row of the
/// whole input).
fn evaluate_piece(
    plan: &Plan,
    piece: &Piece,
    objects: &[(String, Vec<Value>)],
) -> Result<Answer, EvalError> {
    let len = piece.batch.num_rows();
    let mut cols: Vec<(String, &[Value])> = Vec::with_capacity(objects.len());
    for (path, cells) in objects {
        let part = cells.get(piece.row0..piece.row0 + len).ok_or_else(|| {
            EvalError::Arrow(ArrowError::InvalidArgumentError(format!(
                "column `{path}` has {} values, fewer than the data's rows",
                cells.len()
            )))
        })?;
        cols.push((path.clone(), part));
    }
    plan.evaluate(&piece.batch, &cols, piece.row0)
}

/// Evaluates `pieces` on up to `threads` threads (the calling one among them), each taking
/// the next piece not yet taken; the answers come back in the pieces' order, so the result
/// is the same whatever the number of threads. A thread that cannot be started leaves its
/// share to the others; one that panics makes its pieces an error (never a panic here).
pub fn evaluate_pieces(
    plan: &Plan,
    pieces: &[Piece],
    objects: &[(String, Vec<Value>)],
    threads: usize,
) -> Vec<Result<Answer, EvalError>> {
    let workers = threads.clamp(1, pieces.len().max(1));
    if workers == 1 {
        return pieces
            .iter()
            .map(|p| evaluate_piece(plan, p, objects))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(p) = pieces.get(i) else { break };
            done.push((i, evaluate_piece(plan, p, objects)));
        }
        done
    };
    let mut slots: Vec<Option<Result<Answer, EvalError>>> = Vec::with_capacity(pieces.len());
    slots.resize_with(pieces.len(), || None);
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..workers)
            .filter_map(|k| {
                std::thread::Builder::new()
                    .name(format!("htx-rules-{k}"))
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        let mut all = work();
        for h in handles {
            // a worker that panicked: its pieces stay empty and are reported below
            if let Ok(done) = h.join() {
                all.extend(done);
            }
        }
        for (i, r) in all {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(r);
            }
        }
    });
    slots
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(EvalError::Type(
                    "một luồng đánh giá dừng bất thường (an evaluation thread stopped abnormally)"
                        .into(),
                ))
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Streams

/// Evaluates every batch of `input` as it is pulled, each cut into pieces of at most
/// [`CHUNK`] rows that `threads` threads evaluate together; one answer batch per piece, in
/// order (never more than one input batch in memory).
pub struct EvalReader {
    plan: Arc<Plan>,
    input: Box<dyn RecordBatchReader + Send>,
    ready: std::collections::VecDeque<Result<Answer, EvalError>>,
    row: usize,
    threads: usize,
}

impl EvalReader {
    pub fn new(
        plan: Arc<Plan>,
        input: Box<dyn RecordBatchReader + Send>,
        threads: usize,
    ) -> EvalReader {
        EvalReader {
            plan,
            input,
            ready: std::collections::VecDeque::new(),
            row: 0,
            threads,
        }
    }

    /// The next answer batch with its field errors (rows numbered from the stream's start).
    pub fn next_with_errors(&mut self) -> Option<Result<Answer, EvalError>> {
        loop {
            if let Some(r) = self.ready.pop_front() {
                return Some(r);
            }
            match self.input.next()? {
                Ok(b) => {
                    let ps = pieces(&b, self.row, self.threads);
                    self.row += b.num_rows();
                    self.ready
                        .extend(evaluate_pieces(&self.plan, &ps, &[], self.threads));
                }
                Err(e) => return Some(Err(e.into())),
            }
        }
    }
}

impl Iterator for EvalReader {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_with_errors().map(|r| {
            r.map(|(b, _)| b)
                .map_err(|e| ArrowError::ExternalError(Box::new(e)))
        })
    }
}

impl RecordBatchReader for EvalReader {
    fn schema(&self) -> SchemaRef {
        self.plan.schema()
    }
}

/// Batch notes as the warnings Python shows: one for the ignored columns, one for the
/// decisions no column can decide (each lists them all).
pub fn notes_text(notes: &BatchNotes, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !notes.ignored.is_empty() {
        let texts: Vec<&str> = notes.ignored.iter().map(|k| k.message.get(lang)).collect();
        out.push(texts.join("; "));
    }
    if !notes.undecidable.is_empty() {
        let texts: Vec<&str> = notes
            .undecidable
            .iter()
            .map(|u| u.message.get(lang))
            .collect();
        out.push(texts.join("; "));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{cuts, thread_count, CHUNK, MIN_PIECE};

    fn covers(rows: usize, threads: usize) -> Vec<(usize, usize)> {
        let c = cuts(rows, threads);
        // pieces follow each other from 0 to the end, none empty, none above CHUNK
        let mut at = 0;
        for &(off, len) in &c {
            assert_eq!(off, at, "{rows} rows, {threads} threads: {c:?}");
            assert!(
                len > 0 && len <= CHUNK,
                "{rows} rows, {threads} threads: {c:?}"
            );
            at += len;
        }
        assert_eq!(at, rows);
        c
    }

    #[test]
    fn one_thread_cuts_as_before() {
        assert_eq!(covers(0, 1), vec![]);
        assert_eq!(covers(10, 1), vec![(0, 10)]);
        assert_eq!(covers(CHUNK, 1), vec![(0, CHUNK)]);
        assert_eq!(covers(CHUNK + 1, 1).len(), 2);
        assert_eq!(covers(1_000_000, 1).len(), 1_000_000usize.div_ceil(CHUNK));
    }

    #[test]
    fn threads_get_equal_shares() {
        // too small to share: one piece
        assert_eq!(covers(2 * MIN_PIECE - 1, 2).len(), 1);
        assert_eq!(
            covers(2 * MIN_PIECE, 2),
            vec![(0, MIN_PIECE), (MIN_PIECE, MIN_PIECE)]
        );
        assert_eq!(covers(20_000, 2).len(), 2);
        assert_eq!(covers(20_000, 3).len(), 3);
        // a million rows: a multiple of the threads, each piece within one row of the others
        for threads in [2, 3, 4, 8] {
            let c = covers(1_000_000, threads);
            assert_eq!(c.len() % threads, 0);
            let (min, max) = (
                c.iter().map(|p| p.1).min().unwrap(),
                c.iter().map(|p| p.1).max().unwrap(),
            );
            assert!(max - min <= 1 || c.last().unwrap().1 < max, "{c:?}");
        }
        for rows in [
            1, 4095, 4096, 8191, 8192, 65_535, 65_536, 65_537, 131_073, 999_999,
        ] {
            for threads in 1..6 {
                covers(rows, threads);
            }
        }
    }

    #[test]
    fn thread_count_defaults_to_every_core() {
        assert_eq!(thread_count(Some(3)), 3);
        assert!(thread_count(None) >= 1);
        assert_eq!(thread_count(Some(0)), thread_count(None));
    }
}
