/*
 * The search worker of a portfolio site indexed by Pagefind (generator/mkdocs/pagefind.py).
 *
 * Material's search box talks to its worker in four messages (Material's
 * integrations/search/worker/message): SETUP (0) -> READY (1), QUERY (2) -> RESULT (3). This
 * worker answers them from Pagefind's chunked index in ../pagefind/ instead of building a lunr
 * index of the whole site, so Material's header search, results list, keyboard and
 * search.highlight stay as the reader knows them. A RESULT holds `items`: one list per page,
 * the page first ({location, title, text, score, terms}), then its sections ("#anchor").
 * Material writes `title` and `text` as HTML: here they are text, with Pagefind's <mark>s only.
 *
 * A large site's index is in parts (pagefind/, pagefind/part-1/, ... listed in
 * pagefind/parts.json): each part is merged into the first with Pagefind's multisite search
 * (mergeIndex), so a query searches every part and Pagefind ranks the results of all by score.
 */

"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

/** How many pages a query shows, best first (each costs the fetch of one small fragment). */
const SHOWN = 50

/* This file is published at assets/portfolio-search.js; the index at pagefind/. */
const base = new URL("../pagefind/", self.location.href)
let pagefind = null
let latest = 0

function escapeText(text) {
  return String(text).replace(/&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)/g, "&amp;")
    .replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/** Pagefind's excerpt as HTML with no element but its <mark>s. */
function excerptHtml(excerpt) {
  return String(excerpt || "").split(/(<\/?mark>)/).map(
    part => part === "<mark>" || part === "</mark>" ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")
  ).join("")
}

/** Letters, digits and spaces only: how Pagefind compares words ("person's" is "persons"). */
function bare(text) {
  return String(text || "").toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, "")
}

/** The words of a query as Material's `terms`: whether each is on the page (for `?h=`). */
function termsOf(query, content) {
  const text = bare(content)
  const terms = {}
  for (const word of query.split(/\s+/)) {
    const term = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
    if (term)
      terms[term] = text.includes(bare(term))
  }
  return terms
}

/** One page's result in Material's shape; `location` relative to the site's root. */
function resultItems(query, found, data) {
  const page = String(data.raw_url || data.url || "").replace(/^\//, "")
  const terms = termsOf(query, data.content)
  const title = escapeText((data.meta && data.meta.title) || page)
  const items = [{ location: page, title, text: excerptHtml(data.excerpt), score: found.score, terms }]
  for (const section of data.sub_results || []) {
    const url = String(section.url || "")
    const hash = url.indexOf("#")
    if (hash < 0 || section.title === (data.meta && data.meta.title))
      continue  /* the page itself, or its own heading */
    items.push({
      location: page + url.slice(hash),
      title: escapeText(section.title || ""),
      text: excerptHtml(section.excerpt),
      score: found.score / 2,
      terms
    })
  }
  return items
}

/** Options of every part: results' URLs relative to the site's root, excerpts of one length. */
const OPTIONS = { baseUrl: "/", excerptLength: 24 }

/** The folders of the index's other parts (pagefind/parts.json), none when it has one part. */
async function otherParts() {
  try {
    const response = await fetch(new URL("parts.json", base).href, { cache: "no-cache" })
    const parts = response.ok ? await response.json() : []
    return Array.isArray(parts) ? parts.filter(part => typeof part === "string" && /^part-\d+$/.test(part)) : []
  } catch (err) {
    console.warn("The search index's parts could not be listed:", err)
    return []
  }
}

async function setup() {
  if (!pagefind) {
    const [module, parts] = await Promise.all([import(new URL("pagefind.js", base).href), otherParts()])
    await module.options({ basePath: base.href, ...OPTIONS })
    await module.init()
    await Promise.all(parts.map(part =>
      module.mergeIndex(new URL(part + "/", base).href, { ...OPTIONS }).catch(
        err => console.warn(`Search index part ${part} could not be loaded:`, err))))
    pagefind = module
  }
}

/** Fragments fetched at a time when a query names something exactly (below). */
const BATCH = 10

/** The words of a query that name something exactly: an id, a number, a date (they hold a
 *  digit), as `bare` compares them. With the index in parts, a part that lacks such a word
 *  answers with the words that begin like it (Pagefind's fallback: "act" for "ACT-04000", so
 *  every action), where one whole index holding the word would answer with its pages only. */
function exactWords(query) {
  return query.split(/\s+/).map(bare).filter(word => /\d/.test(word))
}

/** The best pages' fragments, `BATCH` at a time, best first, keeping only the pages that hold
 *  every exact word once any page does: the rest score lower (Pagefind's fallback), so the
 *  first batch with such a page ends the list. When no page holds them, every page found is
 *  kept, as one whole index would answer a word it does not hold. */
async function exactPages(results, exact, asked) {
  const kept = [], all = []
  for (let start = 0; start < results.length && all.length < SHOWN; start += BATCH) {
    const batch = results.slice(start, Math.min(start + BATCH, SHOWN))
    const data = await Promise.all(batch.map(result => result.data()))
    if (asked !== latest)
      return null
    let fallback = false
    batch.forEach((result, i) => {
      all.push([result, data[i]])
      if (exact.every(word => bare(data[i].content).includes(word)))
        kept.push([result, data[i]])
      else
        fallback = true
    })
    if (fallback && kept.length)
      break
  }
  return kept.length ? kept : all
}

async function search(query, asked) {
  const found = await pagefind.search(query)
  if (asked !== latest || !found)
    return null
  const exact = exactWords(query)
  let pages
  if (exact.length) {
    pages = await exactPages(found.results, exact, asked)
    if (pages === null)
      return null
  } else {
    const best = found.results.slice(0, SHOWN)
    const data = await Promise.all(best.map(result => result.data()))
    if (asked !== latest)
      return null
    pages = best.map((result, i) => [result, data[i]])
  }
  return pages.map(([result, data]) => resultItems(query, result, data))
}

addEventListener("message", async event => {
  const message = event.data || {}
  if (message.type === SETUP) {
    try {
      await setup()
    } catch (err) {
      console.warn("Search index could not be loaded:", err)
    }
    postMessage({ type: READY })
  } else if (message.type === QUERY) {
    const asked = ++latest
    let items = []
    try {
      if (pagefind && String(message.data || "").trim())
        items = await search(String(message.data), asked)
    } catch (err) {
      console.warn("Search failed:", err)
      items = []
    }
    if (items !== null && asked === latest)
      postMessage({ type: RESULT, data: { items } })
  }
})
