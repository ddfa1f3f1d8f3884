//! Atlassian Document Format, the description format of Jira Cloud (REST v3), built from the
//! template's Markdown. The window's preview draws the same tree.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use ts_rs::TS;

/// `{"version":1,"type":"doc","content":[…]}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AdfDoc {
    #[ts(type = "1")]
    pub version: u8,
    #[serde(rename = "type")]
    #[ts(type = "\"doc\"")]
    pub kind: DocType,
    pub content: Vec<AdfNode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DocType {
    Doc,
}

/// The nodes Onramp writes: a subset of ADF that Jira renders everywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AdfNode {
    Paragraph {
        content: Vec<AdfNode>,
    },
    Heading {
        attrs: HeadingAttrs,
        content: Vec<AdfNode>,
    },
    BulletList {
        content: Vec<AdfNode>,
    },
    OrderedList {
        content: Vec<AdfNode>,
    },
    ListItem {
        content: Vec<AdfNode>,
    },
    Table {
        content: Vec<AdfNode>,
    },
    TableRow {
        content: Vec<AdfNode>,
    },
    TableHeader {
        content: Vec<AdfNode>,
    },
    TableCell {
        content: Vec<AdfNode>,
    },
    Rule,
    HardBreak,
    Text {
        text: String,
        /// Left out when there are none.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        #[ts(as = "Option<Vec<AdfMark>>", optional)]
        marks: Vec<AdfMark>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct HeadingAttrs {
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AdfMark {
    Strong,
    Em,
    Code,
    Link { attrs: LinkAttrs },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LinkAttrs {
    pub href: String,
}

/// Parses `markdown` (`CommonMark` with tables) into ADF.
pub fn from_markdown(markdown: &str) -> AdfDoc {
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        builder.event(event);
    }
    AdfDoc {
        version: 1,
        kind: DocType::Doc,
        content: builder.finish(),
    }
}

/// A block being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Paragraph,
    Heading(u8),
    BulletList,
    OrderedList,
    ListItem,
    Table,
    TableRow,
    TableHeader,
    TableCell,
}

impl Container {
    /// Whether its children must be blocks: loose inline content is wrapped in a paragraph.
    fn holds_blocks(self) -> bool {
        !matches!(self, Self::Paragraph | Self::Heading(_))
    }

    fn node(self, content: Vec<AdfNode>) -> AdfNode {
        match self {
            Self::Paragraph => AdfNode::Paragraph { content },
            Self::Heading(level) => AdfNode::Heading {
                attrs: HeadingAttrs { level },
                content,
            },
            Self::BulletList => AdfNode::BulletList { content },
            Self::OrderedList => AdfNode::OrderedList { content },
            Self::ListItem => AdfNode::ListItem { content },
            Self::Table => AdfNode::Table { content },
            Self::TableRow => AdfNode::TableRow { content },
            Self::TableHeader => AdfNode::TableHeader { content },
            Self::TableCell => AdfNode::TableCell { content },
        }
    }
}

#[derive(Debug)]
struct Open {
    container: Container,
    children: Vec<AdfNode>,
}

#[derive(Debug, Default)]
struct Builder {
    root: Vec<AdfNode>,
    open: Vec<Open>,
    marks: Vec<AdfMark>,
    in_table_head: bool,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                self.text(&text, &[]);
            }
            Event::Code(text) => self.text(&text, &[AdfMark::Code]),
            Event::SoftBreak => self.text(" ", &[]),
            Event::HardBreak => self.inline(AdfNode::HardBreak),
            Event::Rule => self.block(AdfNode::Rule),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let container = match tag {
            Tag::Paragraph => Container::Paragraph,
            Tag::Heading { level, .. } => Container::Heading(heading_level(level)),
            Tag::List(None) => Container::BulletList,
            Tag::List(Some(_)) => Container::OrderedList,
            Tag::Item => Container::ListItem,
            Tag::Table(_) => Container::Table,
            Tag::TableHead => {
                self.in_table_head = true;
                Container::TableRow
            }
            Tag::TableRow => Container::TableRow,
            Tag::TableCell if self.in_table_head => Container::TableHeader,
            Tag::TableCell => Container::TableCell,
            Tag::Strong => return self.marks.push(AdfMark::Strong),
            Tag::Emphasis => return self.marks.push(AdfMark::Em),
            Tag::Link { dest_url, .. } => {
                return self.marks.push(AdfMark::Link {
                    attrs: LinkAttrs {
                        href: dest_url.into_string(),
                    },
                });
            }
            _ => return,
        };
        self.open.push(Open {
            container,
            children: Vec::new(),
        });
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link => {
                self.marks.pop();
            }
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell => {
                if tag == TagEnd::TableHead {
                    self.in_table_head = false;
                }
                if let Some(done) = self.open.pop() {
                    let mut children = done.children;
                    // A cell or list item needs a block; an empty paragraph is dropped.
                    if children.is_empty() && is_cell(tag) {
                        children.push(AdfNode::Paragraph { content: vec![] });
                    }
                    let node = done.container.node(children);
                    if !is_empty_paragraph(&node) {
                        self.block(node);
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, extra: &[AdfMark]) {
        // ADF refuses empty text nodes.
        if text.is_empty() {
            return;
        }
        let marks: Vec<AdfMark> = self.marks.iter().chain(extra).cloned().collect();
        let target = self.inline_target();
        if let Some(AdfNode::Text {
            text: previous,
            marks: previous_marks,
        }) = target.last_mut()
            && *previous_marks == marks
        {
            previous.push_str(text);
            return;
        }
        target.push(AdfNode::Text {
            text: text.to_owned(),
            marks,
        });
    }

    fn inline(&mut self, node: AdfNode) {
        self.inline_target().push(node);
    }

    /// Where inline content goes: the open paragraph or heading, or a paragraph opened inside
    /// a list item or cell (tight lists and tables put text there directly).
    fn inline_target(&mut self) -> &mut Vec<AdfNode> {
        let needs_paragraph = self.open.last().is_none_or(|o| o.container.holds_blocks())
            && !matches!(
                self.current_children().last(),
                Some(AdfNode::Paragraph { .. })
            );
        if needs_paragraph {
            self.current_children()
                .push(AdfNode::Paragraph { content: vec![] });
        }
        match self.open.last().map(|o| o.container.holds_blocks()) {
            Some(false) => &mut self.open.last_mut().expect("checked").children,
            _ => match self.current_children().last_mut() {
                Some(AdfNode::Paragraph { content }) => content,
                _ => unreachable!("a paragraph was just ensured"),
            },
        }
    }

    fn current_children(&mut self) -> &mut Vec<AdfNode> {
        match self.open.last_mut() {
            Some(open) => &mut open.children,
            None => &mut self.root,
        }
    }

    fn block(&mut self, node: AdfNode) {
        self.current_children().push(node);
    }

    fn finish(self) -> Vec<AdfNode> {
        self.root
    }
}

fn is_cell(tag: TagEnd) -> bool {
    matches!(tag, TagEnd::TableCell | TagEnd::Item)
}

fn is_empty_paragraph(node: &AdfNode) -> bool {
    matches!(node, AdfNode::Paragraph { content } if content.is_empty())
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
