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
 * pagefind/parts.json). Pagefind's search of a part costs about the square of the pages in it
 * that hold the word (for each page found it scans every page's entry of the word), so a common
 * word costs less in many small parts than in a few large ones. The parts are searched by
 * "searchers": with more than one CPU, by up to MAX_SEARCHERS workers that this worker starts
 * (this same file, named SEARCHER), each holding some of the parts merged with Pagefind's
 * multisite search (mergeIndex), so the parts are searched at once; otherwise here, all parts
 * merged into one. Each searcher answers with its best pages; their scores rank them all.
 *
 * Timing (benchmarks/search.py, 10,000 actions): the first search after a page loads ran
 * Pagefind's WebAssembly unoptimised (V8 optimises it once it has run a while), taking several
 * times as long as the next one, so each searcher searches its first part for a word (WARM_UP)
 * as it loads the others, before the reader types. Material shows the first ten pages of a
 * result at once and the rest as the reader scrolls, so a query is answered twice: with the
 * first ten pages as soon as their fragments are in, then with all of them (the first ten the
 * same, in the same places; only Material's count of them changes).
 */

"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

/** How many pages a query shows, best first (each costs the fetch of one small fragment). */
const SHOWN = 50

/** How many pages Material shows at once (the rest when the reader scrolls): the first answer. */
const FIRST = 10

/** Fragments fetched at a time when a query names something exactly (see search). */
const BATCH = 10

/** At most this many searcher workers, however many CPUs. */
const MAX_SEARCHERS = 4

/** The name of a searcher worker (this file, started by the worker Material talks to). */
const SEARCHER = "portfolio-searcher"

/** A word on most pages of any portfolio (every action has a risk): searched WARM_UPS times in
 *  a searcher's first part when it is set up, so Pagefind's WebAssembly is optimised before the
 *  reader's first query. Measured at 10,000 actions: the first part a searcher searched for
 *  "audit" took 85-240 ms without, 20-130 ms with, and the whole search 0.8-1.2 s against
 *  0.5-0.75 s (three searches were no faster than one, nor was searching every part once, which
 *  costs as much as a query). It runs while the other parts load, so it delays READY a little:
 *  under load, a reader typing 1.5 s after the page went quiet sometimes waited for it. */
const WARM_UP = "risk"
const WARM_UPS = 1

/** Options of every part: results' URLs relative to the site's root, excerpts of one length. */
const OPTIONS = { baseUrl: "/", excerptLength: 24 }

/* This file is published at assets/portfolio-search.js; the index at pagefind/. */
const base = new URL("../pagefind/", self.location.href)

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

/* ------------------------------------------------------------------------------------------
 * A searcher: some parts of the index merged into one Pagefind search, here or in a worker
 * ---------------------------------------------------------------------------------------- */

/** A part after the first has no WebAssembly of its own (pagefind.py leaves it out): a
 *  searcher whose first part is one of those loads part 0's, the same file. */
const WASM_IN_PART = /\/part-\d+\/(wasm\.[\w-]+\.pagefind)(\?.*)?$/

function loadPartZeroWasm() {
  const fetchIndex = self.fetch.bind(self)
  self.fetch = (input, init) => fetchIndex(typeof input === "string" ? input.replace(WASM_IN_PART, "/$1$2") : input, init)
}

/** Search WARM_UP WARM_UPS times, one after the other (V8 optimises Pagefind's WebAssembly
 *  once it has run a while, and a call runs as it was when it began). */
async function warmUp(module) {
  for (let n = 0; n < WARM_UPS; n++)
    await module.search(WARM_UP).catch(() => {})
}

/** The data of a page's result that the answer needs (what crosses from a searcher worker). */
function pageData(data) {
  return {
    url: data.url, raw_url: data.raw_url, content: data.content, excerpt: data.excerpt,
    meta: { title: data.meta && data.meta.title },
    sub_results: (data.sub_results || []).map(s => ({ url: s.url, title: s.title, excerpt: s.excerpt }))
  }
}

class Searcher {
  constructor() {
    this.pagefind = null
    this.found = new Map()
  }

  /** Load the parts in `folders` ("" for part 0, else "part-N"): the first as Pagefind's
   *  own index, the others merged into it. */
  async setup(folders) {
    if (!folders.length)
      return
    if (folders[0])
      loadPartZeroWasm()
    const module = await import(new URL("pagefind.js", base).href)
    await module.options({ basePath: new URL(folders[0] ? folders[0] + "/" : "", base).href, ...OPTIONS })
    await module.init()
    /* Pagefind searches the parts merged when a search starts: these, of the first part only,
     * run while the others load, and are over long before the reader types. */
    warmUp(module)
    await Promise.all(folders.slice(1).map(part =>
      module.mergeIndex(new URL(part + "/", base).href, { ...OPTIONS }).catch(
        err => console.warn(`Search index part ${part} could not be loaded:`, err))))
    this.pagefind = module
  }

  /** This searcher's best pages for `query`, best first: [{id, score}]. */
  async search(query) {
    this.found = new Map()
    const found = this.pagefind ? await this.pagefind.search(query) : null
    const best = found ? found.results.slice(0, SHOWN) : []
    for (const result of best)
      this.found.set(result.id, result)
    return best.map(result => ({ id: result.id, score: result.score }))
  }

  /** The pages' data, for pages of the last search. */
  async data(ids) {
    return Promise.all(ids.map(async id => {
      const result = this.found.get(id)
      return result ? pageData(await result.data()) : null
    }))
  }
}

/** A searcher in a worker of its own, asked by messages ({call, args, id} -> {id, value}). */
class RemoteSearcher {
  constructor() {
    this.worker = new Worker(self.location.href, { name: SEARCHER })
    this.waiting = new Map()
    this.next = 0
    this.worker.addEventListener("message", event => {
      const { id, value, error } = event.data || {}
      const waiting = this.waiting.get(id)
      if (!waiting)
        return
      this.waiting.delete(id)
      if (error)
        waiting.reject(new Error(error))
      else
        waiting.resolve(value)
    })
    this.worker.addEventListener("error", event => {
      for (const waiting of this.waiting.values())
        waiting.reject(new Error(event.message || "search worker failed"))
      this.waiting.clear()
    })
  }

  call(call, ...args) {
    const id = ++this.next
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage({ call, args, id })
    })
  }

  setup(folders) { return this.call("setup", folders) }
  search(query) { return this.call("search", query) }
  data(ids) { return this.call("data", ids) }
}

/** A searcher worker: answers the calls of the worker that started it. */
function serveSearcher() {
  const searcher = new Searcher()
  addEventListener("message", async event => {
    const { call, args, id } = event.data || {}
    try {
      if (!["setup", "search", "data"].includes(call))
        throw new Error(`unknown call ${call}`)
      postMessage({ id, value: await searcher[call](...(args || [])) })
    } catch (err) {
      postMessage({ id, error: String(err && err.message || err) })
    }
  })
}

/* ------------------------------------------------------------------------------------------
 * The worker Material talks to
 * ---------------------------------------------------------------------------------------- */

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

/** How many searcher workers: one a CPU, at most one a part and MAX_SEARCHERS; none (search
 *  here) with one CPU or one part, or where a worker cannot start workers. */
function searcherCount(parts) {
  const cpus = (self.navigator && self.navigator.hardwareConcurrency) || 1
  const count = Math.min(parts, cpus, MAX_SEARCHERS)
  return count > 1 && typeof Worker !== "undefined" ? count : 0
}

let searchers = null
let latest = 0

async function setup() {
  if (searchers)
    return
  const folders = ["", ...await otherParts()]
  const count = searcherCount(folders.length)
  if (count) {
    /* the parts dealt in turn, so each searcher holds a like share of them */
    const remote = Array.from({ length: count }, () => new RemoteSearcher())
    const ready = await Promise.allSettled(remote.map((searcher, n) => searcher.setup(folders.filter((_, i) => i % count === n))))
    ready.forEach((done, n) => { if (done.status === "rejected") console.warn(`Search worker ${n} could not load its parts:`, done.reason) })
    searchers = remote.filter((_, n) => ready[n].status === "fulfilled")
  } else {
    const here = new Searcher()
    await here.setup(folders)
    searchers = [here]
  }
}

/** The words of a query that name something exactly: an id, a number, a date (they hold a
 *  digit), as `bare` compares them. With the index in parts, a part that lacks such a word
 *  answers with the words that begin like it (Pagefind's fallback: "act" for "ACT-04000", so
 *  every action), where one whole index holding the word would answer with its pages only. */
function exactWords(query) {
  return query.split(/\s+/).map(bare).filter(word => /\d/.test(word))
}

/** Every searcher's best pages, best first: [{id, score, searcher}] (at most SHOWN). */
async function bestPages(query) {
  const answers = await Promise.all(searchers.map(searcher => searcher.search(query)))
  const all = []
  answers.forEach((found, n) => found.forEach(result => all.push({ ...result, searcher: n })))
  return all.sort((a, b) => b.score - a.score).slice(0, SHOWN)
}

/** The pages' data, asked of the searchers that found them, all at once. */
async function pagesData(results) {
  const data = new Array(results.length)
  await Promise.all(searchers.map(async (searcher, n) => {
    const mine = results.map((result, i) => [result, i]).filter(([result]) => result.searcher === n)
    if (!mine.length)
      return
    const got = await searcher.data(mine.map(([result]) => result.id))
    mine.forEach(([, i], k) => { data[i] = got[k] })
  }))
  return results.map((result, i) => [result, data[i]]).filter(([, page]) => page)
}

/** Answer a query: `answer(pages)` with the first pages as soon as they are in, then
 *  with all. A query with exact words keeps only the pages that hold them once any page does
 *  (the rest score lower: Pagefind's fallback), fetching BATCH pages at a time, best first,
 *  so the first batch with such a page and a fallback ends the list; when no page holds them,
 *  every page found is kept, as one whole index would answer a word it does not hold. */
async function search(query, asked, answer) {
  const results = await bestPages(query)
  if (asked !== latest)
    return
  const exact = exactWords(query)
  if (!exact.length) {
    const first = await pagesData(results.slice(0, FIRST))
    if (asked !== latest)
      return
    answer(first)
    if (results.length > FIRST) {
      const rest = await pagesData(results.slice(FIRST))
      if (asked === latest)
        answer(first.concat(rest))
    }
    return
  }
  const kept = [], all = []
  for (let start = 0; start < results.length; start += BATCH) {
    const batch = await pagesData(results.slice(start, start + BATCH))
    if (asked !== latest)
      return
    let fallback = false
    for (const page of batch) {
      all.push(page)
      if (exact.every(word => bare(page[1].content).includes(word)))
        kept.push(page)
      else
        fallback = true
    }
    if (fallback && kept.length)
      return answer(kept)
    if (start === 0 && kept.length && BATCH < results.length)
      answer(kept.slice())  /* the first screen; more pages may hold the words */
  }
  answer(kept.length ? kept : all)
}

function serveMaterial() {
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
      const query = String(message.data || "")
      const answer = pages => {
        if (asked === latest)
          postMessage({ type: RESULT, data: { items: pages.map(([result, data]) => resultItems(query, result, data)) } })
      }
      try {
        if (searchers && query.trim())
          await search(query, asked, answer)
        else
          answer([])
      } catch (err) {
        console.warn("Search failed:", err)
        answer([])
      }
    }
  })
}

if (self.name === SEARCHER)
  serveSearcher()
else
  serveMaterial()
