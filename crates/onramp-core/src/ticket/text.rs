//! Plain text, for the command line and anywhere markup would show as noise.

use super::adf::{AdfDoc, AdfMark, AdfNode};

pub fn render(doc: &AdfDoc) -> String {
    let mut out = String::new();
    for node in &doc.content {
        block(&mut out, node, "");
    }
    out.trim_end().to_owned()
}

fn block(out: &mut String, node: &AdfNode, indent: &str) {
    match node {
        AdfNode::Paragraph { content } => {
            out.push_str(indent);
            inlines(out, content);
            out.push_str("\n\n");
        }
        AdfNode::Heading { content, .. } => {
            let start = out.len();
            inlines(out, content);
            let underline = "-".repeat(out[start..].chars().count());
            out.push('\n');
            out.push_str(&underline);
            out.push_str("\n\n");
        }
        AdfNode::BulletList { content } | AdfNode::OrderedList { content } => {
            for (n, item) in content.iter().enumerate() {
                let AdfNode::ListItem { content } = item else {
                    continue;
                };
                let bullet = if matches!(node, AdfNode::BulletList { .. }) {
                    "- ".to_owned()
                } else {
                    format!("{}. ", n + 1)
                };
                out.push_str(indent);
                out.push_str(&bullet);
                let nested = format!("{indent}  ");
                for (i, child) in content.iter().enumerate() {
                    match child {
                        AdfNode::Paragraph { content } => {
                            if i > 0 {
                                out.push_str(&nested);
                            }
                            inlines(out, content);
                            out.push('\n');
                        }
                        other => block(out, other, &nested),
                    }
                }
            }
            if indent.is_empty() {
                out.push('\n');
            }
        }
        AdfNode::Table { content } => {
            for row in content {
                let AdfNode::TableRow { content } = row else {
                    continue;
                };
                let cells: Vec<String> = content
                    .iter()
                    .map(|cell| match cell {
                        AdfNode::TableHeader { content } | AdfNode::TableCell { content } => {
                            let mut s = String::new();
                            for p in content {
                                if let AdfNode::Paragraph { content } = p {
                                    inlines(&mut s, content);
                                }
                            }
                            s
                        }
                        _ => String::new(),
                    })
                    .collect();
                out.push_str(indent);
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
            out.push('\n');
        }
        AdfNode::Rule => out.push_str("----\n\n"),
        other => inlines(out, std::slice::from_ref(other)),
    }
}

fn inlines(out: &mut String, nodes: &[AdfNode]) {
    for node in nodes {
        match node {
            AdfNode::Text { text, marks } => {
                out.push_str(text);
                for mark in marks {
                    if let AdfMark::Link { attrs } = mark
                        && attrs.href != *text
                    {
                        out.push_str(" (");
                        out.push_str(&attrs.href);
                        out.push(')');
                    }
                }
            }
            AdfNode::HardBreak => out.push('\n'),
            _ => {}
        }
    }
}
