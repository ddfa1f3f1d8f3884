//! Jira wiki markup, the description format of Jira Server and Data Center (REST v2), written
//! from the same tree as ADF so both say the same thing.

use std::fmt::Write as _;

use super::adf::{AdfDoc, AdfMark, AdfNode};

/// Characters wiki markup gives a meaning to; a backslash makes each literal.
const SPECIAL: &[char] = &[
    '\\', '*', '_', '{', '}', '[', ']', '|', '-', '+', '^', '~', '?', '!', '#', '(', ')',
];

pub fn render(doc: &AdfDoc) -> String {
    let mut out = String::new();
    for node in &doc.content {
        block(&mut out, node, 0);
    }
    out.trim_end().to_owned()
}

fn block(out: &mut String, node: &AdfNode, depth: usize) {
    match node {
        AdfNode::Paragraph { content } => {
            inlines(out, content);
            out.push_str("\n\n");
        }
        AdfNode::Heading { attrs, content } => {
            let _ = write!(out, "h{}. ", attrs.level);
            inlines(out, content);
            out.push_str("\n\n");
        }
        AdfNode::BulletList { content } | AdfNode::OrderedList { content } => {
            let bullet = if matches!(node, AdfNode::BulletList { .. }) {
                '*'
            } else {
                '#'
            };
            for item in content {
                list_item(out, item, bullet, depth + 1);
            }
            if depth == 0 {
                out.push('\n');
            }
        }
        AdfNode::Table { content } => {
            for row in content {
                table_row(out, row);
            }
            out.push('\n');
        }
        AdfNode::Rule => out.push_str("----\n\n"),
        inline_node => {
            inline(out, inline_node);
            out.push_str("\n\n");
        }
    }
}

fn list_item(out: &mut String, item: &AdfNode, bullet: char, depth: usize) {
    let AdfNode::ListItem { content } = item else {
        return;
    };
    let _ = write!(out, "{} ", bullet.to_string().repeat(depth));
    let mut first = true;
    for child in content {
        match child {
            AdfNode::Paragraph { content } => {
                if !first {
                    out.push_str("\\\\ ");
                }
                inlines(out, content);
                first = false;
            }
            AdfNode::BulletList { content: nested } | AdfNode::OrderedList { content: nested } => {
                out.push('\n');
                let mark = if matches!(child, AdfNode::BulletList { .. }) {
                    '*'
                } else {
                    '#'
                };
                for inner in nested {
                    list_item(out, inner, mark, depth + 1);
                }
            }
            other => block(out, other, depth),
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

fn table_row(out: &mut String, row: &AdfNode) {
    let AdfNode::TableRow { content } = row else {
        return;
    };
    let mut separator = "|";
    for cell in content {
        let (sep, cell_content) = match cell {
            AdfNode::TableHeader { content } => ("||", content),
            AdfNode::TableCell { content } => ("|", content),
            _ => continue,
        };
        separator = sep;
        out.push_str(sep);
        // An empty cell needs a space, or the two bars read as a header bar.
        let before = out.len();
        for paragraph in cell_content {
            if let AdfNode::Paragraph { content } = paragraph {
                inlines(out, content);
            }
        }
        if out.len() == before {
            out.push(' ');
        }
    }
    out.push_str(separator);
    out.push('\n');
}

fn inlines(out: &mut String, nodes: &[AdfNode]) {
    for node in nodes {
        inline(out, node);
    }
}

fn inline(out: &mut String, node: &AdfNode) {
    match node {
        AdfNode::Text { text, marks } => {
            let mut piece = escape(text);
            for mark in marks {
                piece = match mark {
                    AdfMark::Strong => format!("*{piece}*"),
                    AdfMark::Em => format!("_{piece}_"),
                    AdfMark::Code => format!("{{{{{piece}}}}}"),
                    AdfMark::Link { attrs } => format!("[{piece}|{}]", attrs.href),
                };
            }
            out.push_str(&piece);
        }
        AdfNode::HardBreak => out.push_str("\\\\ "),
        _ => {}
    }
}

/// `text` with every character wiki markup would interpret made literal; line breaks inside a
/// value become wiki line breaks so they cannot start a list or a heading.
pub fn escape(text: &str) -> String {
    crate::playbook::templates::escape_with(text, |c| SPECIAL.contains(&c), "\\\\ ")
}
