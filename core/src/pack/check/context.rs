//! What the phases of the checker share: the files read (to turn byte offsets into line and
//! column), the diagnostics found, the pack compiled so far, and the tables of names.

use std::collections::HashMap;

use toml::Spanned;

use crate::codes::Code;
use crate::date::Date;
use crate::error::Diagnostic;
use crate::expr::compile::CompileError;
use crate::expr::syntax::{self, Ast};
use crate::limits::PackLimits;
use crate::model::{Cite, Pack};
use crate::pack::doc::{CiteDoc, FileDoc};
use crate::pack::source::count;
use crate::text::Message;

/// One file of a pack, as text, with the offsets of its lines.
struct Src {
    path: String,
    text: String,
    /// byte offsets of line starts
    lines: Vec<usize>,
}

impl Src {
    fn new(path: String, text: String) -> Src {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Src { path, text, lines }
    }
    fn loc(&self, offset: usize) -> (usize, usize) {
        let line = self.lines.partition_point(|&s| s <= offset).max(1);
        let start = self.lines.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }
    /// Offset of the first character inside the TOML string whose token starts at `start`.
    fn string_body(&self, start: usize) -> usize {
        let rest = self.text.get(start..).unwrap_or("");
        if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            let after = rest.get(3..).unwrap_or("");
            if after.starts_with("\r\n") {
                start + 5
            } else if after.starts_with('\n') {
                start + 4
            } else {
                start + 3
            }
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            start + 1
        } else {
            start
        }
    }
}

/// A pack file that parsed: its index among the files read, the pack it belongs to, its tables.
pub(super) struct Parsed {
    pub file: usize,
    pub pack: String,
    pub doc: FileDoc,
}

/// The files read and the problems found in them, each located by `file:line:col`. At most
/// [`PackLimits::diagnostics`] are kept; one more says how many were left out.
#[derive(Default)]
pub(super) struct Diags {
    files: Vec<Src>,
    list: Vec<Diagnostic>,
    /// How many diagnostics to keep (0: no cap).
    max: usize,
    /// How many were found past `max`.
    dropped: usize,
    /// The longest expression parsed ([`PackLimits::expr_bytes`]).
    expr_bytes: usize,
    /// Lints that do not stop the pack from loading.
    warnings: Vec<Diagnostic>,
    /// Files whose spans were moved into the overlay range: overlay `k` covers the offsets
    /// from `OVERLAY_BASE + k * OVERLAY_STRIDE` (see [`Diags::add_overlay`]).
    overlays: Vec<usize>,
}

/// Where overlay offsets start. A reform's parts are compiled inside the pack's own rules
/// (whose file index is the pack file's), so their spans carry their file in the offset
/// itself, like positions in rustc's `SourceMap`: one address space, each overlay file a
/// range of it. `u32`-safe (the browser build): at most 48 overlays of 64 MiB.
pub(super) const OVERLAY_BASE: usize = 1 << 30;
/// The size of one overlay's range: more than any file a load accepts
/// ([`PackLimits::file_bytes`] is capped to it for reforms).
pub(super) const OVERLAY_STRIDE: usize = 1 << 26;

impl Diags {
    /// No file and no diagnostic yet, for a load within `limits`.
    pub fn new(limits: &PackLimits) -> Diags {
        Diags {
            max: limits.diagnostics,
            expr_bytes: limits.expr_bytes,
            ..Diags::default()
        }
    }

    fn push(&mut self, d: Diagnostic) {
        if self.max > 0 && self.list.len() >= self.max {
            self.dropped += 1;
        } else {
            self.list.push(d);
        }
    }

    /// Keeps a file's text (for locations); returns its index.
    pub fn add_file(&mut self, path: String, text: String) -> usize {
        self.files.push(Src::new(path, text));
        self.files.len() - 1
    }

    /// Keeps an overlay file's text (a reform); returns its index and the base of its
    /// offsets: a span of it shifted by the base locates in it from any file.
    pub fn add_overlay(&mut self, path: String, text: String) -> (usize, usize) {
        let fid = self.add_file(path, text);
        let base = OVERLAY_BASE + self.overlays.len() * OVERLAY_STRIDE;
        self.overlays.push(fid);
        (fid, base)
    }

    /// The file an offset of `file` is in, and the offset within it (an overlay offset is in
    /// its overlay file, whatever `file` says).
    fn src(&self, file: usize, offset: usize) -> Option<(&Src, usize)> {
        if offset >= OVERLAY_BASE {
            let k = (offset - OVERLAY_BASE) / OVERLAY_STRIDE;
            let local = (offset - OVERLAY_BASE) % OVERLAY_STRIDE;
            let f = self.overlays.get(k)?;
            return self.files.get(*f).map(|s| (s, local));
        }
        self.files.get(file).map(|s| (s, offset))
    }

    /// The text of file `file`.
    pub fn text(&self, file: usize) -> &str {
        self.files.get(file).map(|f| f.text.as_str()).unwrap_or("")
    }

    /// The source text between two offsets of `file` (overlay offsets in their overlay).
    pub fn slice(&self, file: usize, start: usize, end: usize) -> &str {
        match self.src(file, start) {
            Some((f, local)) => f
                .text
                .get(local..(local + end.saturating_sub(start)).min(f.text.len()))
                .unwrap_or(""),
            None => "",
        }
    }

    /// The path of file `file`, as the loader gave it.
    pub fn path(&self, file: usize) -> String {
        self.files
            .get(file)
            .map(|f| f.path.clone())
            .unwrap_or_default()
    }

    /// Line and column of a byte offset of file `file` (`(0, 0)` for no such file).
    pub fn loc(&self, file: usize, offset: usize) -> (usize, usize) {
        self.src(file, offset)
            .map(|(f, o)| f.loc(o))
            .unwrap_or((0, 0))
    }

    /// Whether no problem was found so far.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// A problem at a byte offset of file `file`.
    pub fn diag(&mut self, file: usize, offset: usize, code: Code, message: Message) {
        let (path, (line, column)) = match self.src(file, offset) {
            Some((f, o)) => (f.path.clone(), f.loc(o)),
            None => (String::new(), (1, 1)),
        };
        self.push(Diagnostic {
            file: path,
            line,
            column,
            code: code.into(),
            message,
        });
    }

    /// A warning (a lint that does not stop the pack from loading) at a byte offset.
    pub fn warn(&mut self, file: usize, offset: usize, code: Code, message: Message) {
        let (path, (line, column)) = match self.src(file, offset) {
            Some((f, o)) => (f.path.clone(), f.loc(o)),
            None => (String::new(), (1, 1)),
        };
        self.warnings.push(Diagnostic {
            file: path,
            line,
            column,
            code: code.into(),
            message,
        });
    }

    /// The warnings, ordered by file, line and column.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let mut d = std::mem::take(&mut self.warnings);
        d.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        d
    }

    /// Offset of the first character inside the TOML string written in `s`.
    pub fn body_of(&self, file: usize, s: &Spanned<String>) -> usize {
        self.string_body(file, s)
    }

    /// A problem at the start of a spanned value.
    pub fn diag_at<T>(&mut self, file: usize, s: &Spanned<T>, code: Code, message: Message) {
        self.diag(file, s.span().start, code, message);
    }

    /// A problem with a whole file (or pack): line 1, column 1 of `path`.
    pub fn diag_file(&mut self, path: String, code: Code, message: Message) {
        self.push(Diagnostic {
            file: path,
            line: 1,
            column: 1,
            code: code.into(),
            message,
        });
    }

    /// The type checker's errors in the expression written in `s`, located inside the string.
    pub fn expr_errors(&mut self, file: usize, s: &Spanned<String>, errs: Vec<CompileError>) {
        let base = self.string_body(file, s);
        for e in errs {
            self.diag(file, base + e.span.start, e.code, e.message);
        }
    }

    /// Parses the expression written in `s`, reporting a syntax error inside the string (and
    /// an expression longer than [`PackLimits::expr_bytes`] at its start, unparsed).
    pub fn parse_expr(&mut self, file: usize, s: &Spanned<String>) -> Option<Ast> {
        let len = s.get_ref().len();
        if len > self.expr_bytes {
            let max = self.expr_bytes;
            self.diag_at(
                file,
                s,
                Code::ExprLimit,
                msg!(
                    vi: format!(
                        "biểu thức quá dài: {} byte; tối đa {} (danh sách dài nên đặt trong một tham số)",
                        count(len as u64, true),
                        count(max as u64, true),
                    ),
                    en: format!(
                        "the expression is too long: {} bytes; at most {} (put a long list in a parameter)",
                        count(len as u64, false),
                        count(max as u64, false),
                    ),
                ),
            );
            return None;
        }
        match syntax::parse(s.get_ref()) {
            Ok(a) => Some(a),
            Err(e) => {
                let base = self.string_body(file, s);
                self.diag(file, base + e.span.start, e.code, msg!(vi: e.vi, en: e.en));
                None
            }
        }
    }

    /// The date written in `s`, or a diagnostic.
    pub fn date(&mut self, file: usize, s: &Spanned<String>) -> Option<Date> {
        let d = Date::parse(s.get_ref());
        if d.is_none() {
            let v = s.get_ref().clone();
            self.diag_at(
                file,
                s,
                Code::PackDate,
                msg!(
                    vi: format!("`{v}` không phải ngày (cần YYYY-MM-DD)"),
                    en: format!("`{v}` is not a date (expected YYYY-MM-DD)"),
                ),
            );
        }
        d
    }

    fn string_body(&self, file: usize, s: &Spanned<String>) -> usize {
        let start = s.span().start;
        self.src(file, start)
            .map(|(f, local)| start - local + f.string_body(local))
            .unwrap_or(0)
    }

    /// Every problem, ordered by file, line and column (stable: ties keep the order found).
    /// When some were left out, a last one says how many.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut d = self.list;
        d.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        if self.dropped > 0 {
            let (n, max) = (self.dropped as u64, self.max as u64);
            d.push(Diagnostic {
                file: d.last().map(|x| x.file.clone()).unwrap_or_default(),
                line: 1,
                column: 1,
                code: Code::PackLimit.into(),
                message: msg!(
                    vi: format!(
                        "còn {} lỗi khác không được liệt kê (chỉ liệt kê {} lỗi đầu tiên)",
                        count(n, true),
                        count(max, true),
                    ),
                    en: format!(
                        "{} more problems not listed (only the first {} are)",
                        count(n, false),
                        count(max, false),
                    ),
                ),
            });
        }
        d
    }
}

/// What a table of names holds, for the "defined twice" message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum What {
    Enum,
    /// Records and entities (and, through [`Names::declare_beside`], enums).
    Type,
    Field,
    PeriodGroup,
    Parameter,
    /// A rule of one entity.
    Rule,
    Info,
    Collection,
    Indicator,
    /// A group of one indicator's breakdown.
    Group,
}

impl What {
    fn defined_twice(self, name: &str) -> Message {
        let (vi, en) = match self {
            What::Enum => ("kiểu liệt kê", "enum"),
            What::Type => ("kiểu", "type"),
            What::Field => ("trường", "field"),
            What::PeriodGroup => ("nhóm giai đoạn", "period group"),
            What::Parameter => ("tham số", "parameter"),
            What::Rule => ("quy tắc", "rule"),
            What::Info => ("mục", "info"),
            What::Collection => ("danh sách của sổ", "registry collection"),
            What::Indicator => ("chỉ tiêu", "indicator"),
            What::Group => ("nhóm", "group"),
        };
        let (vi_where, en_where) = match self {
            What::Rule => (" cho đối tượng này", " for this entity"),
            _ => ("", ""),
        };
        msg!(
            vi: format!("{vi} `{name}` được định nghĩa hai lần{vi_where}"),
            en: format!("{en} `{name}` is defined twice{en_where}"),
        )
    }
}

/// A table of names of one kind, each with its index: every "defined twice" check goes
/// through [`Names::declare`] (or [`Names::is_free`]), so they all say the same thing.
pub(super) struct Names {
    what: What,
    map: HashMap<String, usize>,
}

impl Names {
    pub fn new(what: What) -> Names {
        Names {
            what,
            map: HashMap::new(),
        }
    }

    /// Declares `name` with the next index; when it is taken, reports it as defined twice
    /// and returns `None`.
    pub fn declare(
        &mut self,
        out: &mut Diags,
        file: usize,
        name: &Spanned<String>,
    ) -> Option<usize> {
        self.declare_beside(out, file, name, None)
    }

    /// The same, in a namespace shared with `other` (records beside enums): a name taken
    /// there is taken here too.
    pub fn declare_beside(
        &mut self,
        out: &mut Diags,
        file: usize,
        name: &Spanned<String>,
        other: Option<&Names>,
    ) -> Option<usize> {
        let n = name.get_ref();
        if self.contains(n) || other.is_some_and(|o| o.contains(n)) {
            self.defined_twice(out, file, name);
            return None;
        }
        Some(self.insert(n.clone()))
    }

    /// Whether `name` is free, reporting it as defined twice when it is not. For tables that
    /// take a name only once what it names has checked out ([`Names::insert`] then).
    pub fn is_free(&self, out: &mut Diags, file: usize, name: &Spanned<String>) -> bool {
        if self.contains(name.get_ref()) {
            self.defined_twice(out, file, name);
            return false;
        }
        true
    }

    fn defined_twice(&self, out: &mut Diags, file: usize, name: &Spanned<String>) {
        let message = self.what.defined_twice(name.get_ref());
        out.diag_at(file, name, Code::PackDuplicate, message);
    }

    /// Takes `name` with the next index, unchecked.
    pub fn insert(&mut self, name: String) -> usize {
        let i = self.map.len();
        self.map.insert(name, i);
        i
    }

    pub fn get(&self, name: &str) -> Option<usize> {
        self.map.get(name).copied()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The names and their indices, for the compiled pack.
    pub fn into_map(self) -> HashMap<String, usize> {
        self.map
    }
}

/// The state the phases pass along: diagnostics (with the files read), the pack compiled so
/// far, and the type names (enums and records) later phases resolve types against.
pub(super) struct Context {
    pub out: Diags,
    pub pack: Pack,
    pub enums: Names,
    pub records: Names,
    /// The caps this load keeps to.
    pub limits: PackLimits,
    /// Whether a volume cap was exceeded: then the pack is not checked further.
    pub over_limit: bool,
}

impl Context {
    pub fn new(limits: PackLimits) -> Context {
        Context {
            out: Diags::new(&limits),
            pack: Pack::default(),
            enums: Names::new(What::Enum),
            records: Names::new(What::Type),
            limits,
            over_limit: false,
        }
    }
}

/// A citation as written in a pack file.
pub(super) fn cite(c: &CiteDoc) -> Cite {
    Cite {
        document: c.document.clone(),
        section: c.section.clone(),
        wording: c.wording.clone(),
    }
}

/// The name among `candidates` closest to `name` (a typo: at most a third of its letters
/// changed, inserted or dropped), for "did you mean …?".
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters (two rows: linear memory).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// " (bạn muốn viết `x`?)" / " (did you mean `x`?)", or nothing.
pub(super) fn did_you_mean(best: Option<&str>) -> (String, String) {
    match best {
        Some(b) => (
            format!(" (có phải `{b}`?)"),
            format!(" (did you mean `{b}`?)"),
        ),
        None => (String::new(), String::new()),
    }
}
