// End-to-end tests of the web page: the built `plangraph` binary serves a fresh data folder
// holding the seed, headless Chromium drives the page as a planner would. Screenshots (at
// 1280 px and at a 1024 px laptop width) go to target/ui-shots/.
//
// Run by .ci/run; by hand: `cargo build && (cd tests/browser && npm ci && npm test)`.
// PLANGRAPH_BIN and CHROMIUM override the binary and browser paths.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = process.env.PLANGRAPH_BIN || join(root, "target/debug/plangraph");
const shots = join(root, "target/ui-shots");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let data, profile, server, browser, base;

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on("error", fail);
  });
}

async function waitUp(url) {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`the server did not come up at ${url}`);
}

// `plangraph serve` on a data folder, on a free port of 127.0.0.1.
async function serve(dir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ["--data", dir, "serve", "--addr", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, RUST_LOG: "warn" },
  });
  await waitUp(`${url}/health`);
  return { server: child, base: url };
}

before(async () => {
  data = mkdtempSync(join(tmpdir(), "plangraph-ui-data-"));
  profile = mkdtempSync(join(tmpdir(), "plangraph-ui-profile-"));
  mkdirSync(shots, { recursive: true });
  execFileSync(bin, ["--data", data, "ingest", join(root, "seeds")], { stdio: ["ignore", "ignore", "inherit"] });
  ({ server, base } = await serve(data));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
  });
});

after(async () => {
  if (browser) await browser.close();
  // Wait for the server to stop: it may still be saving its graph view into the folder.
  if (server && server.exitCode === null) await new Promise(ok => { server.once("exit", ok); server.kill("SIGTERM"); });
  for (const d of [data, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

async function page(hash, width = 1280, at = base) {
  const p = await browser.newPage();
  await p.setViewportSize({ width, height: 900 });
  const errors = [];
  p.on("pageerror", e => errors.push(e.message));
  await p.goto(`${at}/${hash}`);
  await p.waitForFunction(() => !document.querySelector("#app > p.msg"));
  p.errors = errors;
  return p;
}

async function shot(p, name) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

test("search 海洋: the seed's three goals come first, highlighted, with unit and year facets", async () => {
  const p = await page("#/search?q=" + encodeURIComponent("海洋"));
  const tab = p.locator(".tabs a.on");
  assert.match(await tab.innerText(), /^目标\s*3$/);
  const goals = p.locator(".hits li.goal");
  assert.equal(await goals.count(), 3);
  const titles = await goals.locator(".title a").allInnerTexts();
  assert.deepEqual(new Set(titles), new Set(["加快高端创新平台建设", "加强科技创新改革谋划", "强化高新技术产业培育"]));
  for (let i = 0; i < 3; i++) {
    const marks = await goals.nth(i).locator("mark").allInnerTexts();
    assert.ok(marks.length > 0 && marks.every(m => m === "海洋"), `goal ${i} highlights: ${marks}`);
    assert.match(await goals.nth(i).locator(".meta").innerText(), /市科技局 · 2021 年/);
  }
  // No ids unless asked for.
  assert.equal(await p.locator(".nid").first().isVisible(), false);
  const year = p.locator(".facets a", { hasText: "2021" });
  assert.match(await year.innerText(), /2021 年\s*3/);
  await shot(p, "search-haiyang-1280");
  // The platform tab: each hit says how many goals depend on it.
  await p.locator(".tabs a", { hasText: "平台" }).click();
  await p.waitForFunction(() => location.hash.includes("tab=institution"));
  await p.locator(".hits li").first().waitFor();
  const inst = await p.locator(".hits li").allInnerTexts();
  assert.ok(inst.some(t => /海洋试点国家实验室/.test(t) && /1 个目标依托/.test(t)), inst.join("\n"));
  await shot(p, "search-haiyang-platforms-1280");
  await p.close();
});

test("keyboard: / focuses the search box, Enter searches, Tab and Enter open a graph node", async () => {
  const p = await page("#/");
  await p.keyboard.press("/");
  assert.equal(await p.evaluate(() => document.activeElement.id), "q");
  await p.keyboard.type("超算");
  await p.keyboard.press("Enter");
  await p.waitForFunction(() => location.hash.startsWith("#/search?q="));
  await p.locator(".hits li.goal").first().waitFor();
  assert.equal(await p.locator(".hits li.goal .title a").first().innerText(), "加快高端创新平台建设");
  await p.goto(`${base}/#/graph/` + encodeURIComponent("市科技局") + "?depth=2");
  await p.locator("svg.graph").waitFor();
  await shot(p, "graph-unit-depth2-1280");
  const target = p.locator("svg.graph a.gnode[data-kind=goal]").first();
  const name = await target.locator("text:not(.sub)").textContent();
  await target.focus();
  await p.keyboard.press("Enter");
  await p.waitForFunction(() => location.hash.startsWith("#/node/goal"));
  await p.locator("h1").waitFor();
  assert.ok(name.replace("…", "").length > 0 && (await p.locator("h1").innerText()).startsWith(name.replace("…", "")));
  await p.close();
});

test("an empty or operator-only search gets a message, not a blank page", async () => {
  for (const q of ["", "AND", "\"\" ()"]) {
    const p = await page("#/search?q=" + encodeURIComponent(q));
    const msg = await p.locator("#app .msg").innerText();
    assert.match(msg, /请输入要查找的词/, `query ${JSON.stringify(q)}`);
    await p.close();
  }
  const p = await page("#/node/" + encodeURIComponent("没有这个平台xyz"));
  assert.match(await p.locator(".msg.error").innerText(), /找不到/);
  // An ambiguous name lists each candidate once, by name and kind, ids hidden.
  await p.goto(`${base}/#/node/` + encodeURIComponent("中心"));
  await p.locator(".msg.error li").first().waitFor();
  const items = await p.locator(".msg.error li").allInnerTexts();
  assert.ok(items.length >= 2, items.join("\n"));
  assert.equal(new Set(items).size, items.length, items.join("\n"));
  assert.ok(items.every(t => /中心/.test(t) && !/[0-9a-f]{16}/.test(t)), items.join("\n"));
  assert.ok(items.some(t => /国家超级计算中心\s*平台/.test(t)), items.join("\n"));
  await shot(p, "ambiguous-1280");
  await p.locator(".msg.error li a", { hasText: "国家超级计算中心" }).click();
  await p.locator("details.group").waitFor();
  assert.equal(await p.locator("h1").innerText(), "国家超级计算中心");
  await p.close();
});

test("platform page of 国家超级计算中心: its goal and the evidence sentence, CSV download", async () => {
  const p = await page("#/node/" + encodeURIComponent("国家超级计算中心"));
  assert.equal(await p.locator("h1").innerText(), "国家超级计算中心");
  assert.match(await p.locator(".meta").innerText(), /平台 · 中心/);
  const group = p.locator("details.group");
  assert.equal(await group.count(), 1);
  assert.match(await group.locator("summary").innerText(), /市科技局 · 2021 年\s*1 个目标/);
  const row = await group.locator("table.trace tbody tr").innerText();
  assert.match(row, /加快高端创新平台建设/);
  assert.match(row, /推进超算升级项目，建设国家超级计算中心/);
  assert.match(row, /建设/);
  const [download] = await Promise.all([p.waitForEvent("download"), p.locator("#csv").click()]);
  const text = readFileSync(await download.path(), "utf8");
  assert.match(text, /单位,年度,类别,序号,目标/);
  assert.match(text, /市科技局,2021,重点目标,2,加快高端创新平台建设,建设,,推进超算升级项目，建设国家超级计算中心。/);
  await shot(p, "platform-chaosuan-1280");
  await p.setViewportSize({ width: 1024, height: 800 });
  await shot(p, "platform-chaosuan-1024");
  await p.close();
});

test("platform page of 中国科学院海洋大科学研究中心: its alias and what it is part of", async () => {
  const p = await page("#/node/" + encodeURIComponent("中科院海洋大科学研究中心"));
  assert.equal(await p.locator("h1").innerText(), "中国科学院海洋大科学研究中心");
  const meta = await p.locator(".meta").innerText();
  assert.match(meta, /别名 中科院海洋大科学研究中心/);
  assert.match(meta, /隶属 中国科学院/);
  await p.locator(".meta a", { hasText: "中国科学院" }).first().click();
  await p.waitForFunction(() => location.hash.startsWith("#/node/organization"));
  await p.locator("h1").waitFor();
  assert.equal(await p.locator("h1").innerText(), "中国科学院");
  await p.close();
});

test("goal page: content with linked platforms, targets table, policy documents, source document", async () => {
  const s = await page("#/search?q=" + encodeURIComponent("加快高端创新平台建设"));
  await s.locator(".hits li.goal .title a").first().click();
  await s.waitForFunction(() => location.hash.startsWith("#/node/goal"));
  await s.locator("#goal-content").waitFor();
  const link = s.locator("#goal-content a", { hasText: "国家超级计算中心" });
  assert.equal(await link.count(), 1);
  const rows = await s.locator("#targets tbody tr").allInnerTexts();
  assert.ok(rows.some(r => /150家以上/.test(r) && /150/.test(r) && /家/.test(r) && /以上/.test(r) && /技术创新中心/.test(r)), rows.join("\n"));
  assert.match(await s.locator(".meta").innerText(), /单位 市科技局[\s\S]*年度 2021[\s\S]*类别 重点目标[\s\S]*序号 2/);
  await shot(s, "goal-1280");
  await s.setViewportSize({ width: 1024, height: 800 });
  await shot(s, "goal-1024");
  // The source document lists the goal.
  await s.locator(".meta a", { hasText: "2021年度市直单位业务目标" }).click();
  await s.waitForFunction(() => location.hash.startsWith("#/doc/"));
  await s.locator("table tbody tr").first().waitFor();
  assert.equal(await s.locator("table tbody tr").count(), 9);
  await shot(s, "document-1280");
  // The goal with documents: 出台《…》.
  await s.goto(`${base}/#/search?q=` + encodeURIComponent("加强科技创新改革谋划"));
  await s.locator(".hits li.goal .title a").first().click();
  await s.locator("h2", { hasText: "政策文件" }).waitFor();
  const docs = await s.locator("h2:has-text('政策文件') + table tbody tr").allInnerTexts();
  assert.ok(docs.some(r => /修订/.test(r) && /青岛市科学技术奖励办法/.test(r)), docs.join("\n"));
  assert.ok(docs.some(r => /出台/.test(r)), docs.join("\n"));
  await s.close();
});

test("graph view: nodes with Chinese labels that do not overlap, a click navigates", async () => {
  const p = await page("#/graph/" + encodeURIComponent("国家超级计算中心") + "?depth=2");
  const nodes = p.locator("svg.graph a.gnode");
  const n = await nodes.count();
  assert.ok(n >= 3, `${n} nodes`);
  const labels = await p.locator("svg.graph a.gnode text:not(.sub)").allTextContents();
  assert.ok(labels.includes("国家超级计算中心"));
  assert.ok(labels.includes("加快高端创新平台建设"));
  assert.ok(labels.every(l => /[\u4e00-\u9fff]/.test(l)), labels.join(","));
  // Depth 2 does not pass through the unit: no other goal of 市科技局 appears.
  assert.ok(!labels.includes("加强科技创新改革谋划"), labels.join(","));
  // No two texts of the picture (names and their second lines) overlap.
  const boxes = await p.locator("svg.graph a.gnode text").evaluateAll(ts => ts.map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent]; }));
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    const overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    assert.ok(!overlap, `labels ${a[4]} and ${b[4]} overlap`);
  }
  await shot(p, "graph-chaosuan-depth2-1280");
  await p.setViewportSize({ width: 1024, height: 800 });
  await shot(p, "graph-chaosuan-depth2-1024");
  // Filter by kind: unticking 目标 removes the goal from the picture.
  await p.locator("#kinds input[data-kind=goal]").uncheck();
  await p.waitForFunction(() => location.hash.includes("hide=goal"));
  await p.locator("svg.graph").waitFor();
  assert.ok(!(await p.locator("svg.graph a.gnode text").allTextContents()).some(t => t === "加快高端创新平台建设"));
  await p.goBack();
  await p.locator("svg.graph a.gnode", { hasText: "加快高端创新平台建设" }).click();
  await p.waitForFunction(() => location.hash.startsWith("#/node/goal"));
  assert.equal(await p.locator("h1").innerText(), "加快高端创新平台建设");
  await p.close();
});

test("overview: documents by unit and year, generic classes apart", async () => {
  const p = await page("#/");
  assert.match(await p.locator("#docs").innerText(), /市科技局[\s\S]*2021年度市直单位业务目标/);
  const classes = await p.locator("h2:has-text('泛称') ~ table").innerText();
  assert.match(classes, /高新技术企业/);
  const named = await p.locator("h2:has-text('被依托最多') + table").innerText();
  assert.ok(!/高新技术企业|技术创新中心\t|标杆孵化器/.test(named), named);
  await shot(p, "overview-1280");
  await p.close();
});

test("upload: a clear result, then the document is found by search and filtered by year", async () => {
  const file = join(data, "..", `plangraph-ui-upload-${process.pid}.txt`);
  writeFileSync(file, [
    "2022年度市直单位业务目标", "单位名称：市海洋发展局",
    "\t类别", "\t序号", "\t目标名称", "\t目标内容", "",
    "\t重点目标", "\t1", "\t建设深远海养殖示范区",
    "\t依托海洋牧场联合实验室，推进深远海智能养殖工船建设，建成国家级海洋牧场示范区3个以上。", "",
  ].join("\n"));
  const p = await page("#/upload");
  await p.locator("#file").setInputFiles(file);
  await p.locator("#upform button").click();
  const msg = p.locator("#upresult .msg.ok");
  await msg.waitFor();
  assert.match(await msg.innerText(), /已加入：市海洋发展局 · 2022 年 · 2022年度市直单位业务目标，共 1 个目标/);
  await shot(p, "upload-1280");
  rmSync(file, { force: true });
  await p.locator("#q").fill("深远海");
  await p.locator("#q").press("Enter");
  await p.locator(".hits li.goal").first().waitFor();
  assert.equal(await p.locator(".hits li.goal .title a").first().innerText(), "建设深远海养殖示范区");
  // 海洋 now has goals in two years; the year facet narrows them.
  await p.goto(`${base}/#/search?q=` + encodeURIComponent("海洋"));
  await p.locator(".hits li.goal").first().waitFor();
  assert.equal(await p.locator(".hits li.goal").count(), 4);
  await p.locator(".facets a", { hasText: "2022" }).click();
  await p.waitForFunction(() => location.hash.includes("year=2022"));
  await p.waitForFunction(() => document.querySelectorAll(".hits li.goal").length === 1);
  assert.equal(await p.locator(".hits li.goal .title a").innerText(), "建设深远海养殖示范区");
  await p.locator(".facets a", { hasText: "2021" }).click();
  await p.waitForFunction(() => location.hash.includes("year=2021"));
  await p.waitForFunction(() => document.querySelectorAll(".hits li.goal").length === 3);
  assert.ok(!(await p.locator(".hits li.goal .title a").allInnerTexts()).includes("建设深远海养殖示范区"));
  // The other tabs are not narrowed by the goal filters.
  const platformTab = async () => (await p.locator(".tabs a", { hasText: "平台" }).innerText()).replace(/\D/g, "");
  const filtered = await platformTab();
  assert.ok(Number(filtered) >= 3, filtered);
  await shot(p, "search-haiyang-2021-1280");
  await p.setViewportSize({ width: 1024, height: 800 });
  await shot(p, "search-haiyang-2021-1024");
  await p.goto(`${base}/#/search?q=` + encodeURIComponent("海洋"));
  await p.locator(".hits li.goal").first().waitFor();
  assert.equal(await platformTab(), filtered);
  await p.goBack();
  await p.waitForFunction(() => location.hash.includes("year=2021"));
  await p.waitForFunction(() => document.querySelectorAll(".hits li.goal").length === 3);
  // The URL alone reproduces the view.
  const again = await page(new URL(p.url()).hash);
  assert.equal(await again.locator(".hits li.goal").count(), 3);
  assert.deepEqual(again.errors, []);
  await again.close();
  assert.deepEqual(p.errors, []);
  await p.close();
});

// Eight documents (four units, two years), twelve goals each, all relying on one lab.
function writeLargeCorpus(dir) {
  const units = ["市科技局", "市海洋发展局", "市工业和信息化局", "市发展改革委"];
  for (const u of units) for (const y of [2021, 2022]) {
    const lines = [`${y}年度市直单位业务目标`, `单位名称：${u}`, "\t类别", "\t序号", "\t目标名称", "\t目标内容", ""];
    for (let i = 1; i <= 12; i++) {
      lines.push(i === 1 ? "\t重点目标" : "\t", `\t${i}`, `\t推进第${i}项海洋协同创新任务`,
        `\t依托崂山海洋协同创新实验室，建设第${i}批海洋科技示范工程，出台《${u}海洋协同创新第${i}号办法》。`, "");
    }
    writeFileSync(join(dir, `${u}-${y}.txt`), lines.join("\n"));
  }
  return units.length * 2 * 12;
}

test("a large trace is grouped by unit and year, collapsible and paged; a large graph says how many are left out", async () => {
  const dir = mkdtempSync(join(tmpdir(), "plangraph-ui-large-"));
  const docs = join(dir, "docs");
  mkdirSync(docs);
  const goals = writeLargeCorpus(docs);
  execFileSync(bin, ["--data", join(dir, "data"), "ingest", docs], { stdio: ["ignore", "ignore", "inherit"] });
  const big = await serve(join(dir, "data"));
  try {
    const p = await page("#/node/" + encodeURIComponent("崂山海洋协同创新实验室"), 1280, big.base);
    assert.match(await p.locator("h2", { hasText: "依托它的目标" }).innerText(), new RegExp(`${goals} 个`));
    const groups = p.locator("details.group");
    assert.equal(await groups.count(), 8);
    // The first groups are open, the others closed; each shows 10 of its 12 goals.
    assert.equal(await groups.nth(0).getAttribute("open"), "");
    assert.equal(await groups.nth(7).getAttribute("open"), null);
    const first = groups.nth(0);
    assert.equal(await first.locator("tbody tr:visible").count(), 10);
    await first.locator(".show-more").click();
    assert.equal(await first.locator("tbody tr:visible").count(), 12);
    assert.equal(await first.locator(".show-more").count(), 0);
    await p.locator("#expand").click();
    assert.equal(await groups.nth(7).getAttribute("open"), "");
    await shot(p, "platform-large-1280");
    // Search pages through the goals, 20 a page.
    await p.goto(`${big.base}/#/search?q=` + encodeURIComponent("海洋协同创新"));
    await p.locator(".hits li.goal").first().waitFor();
    assert.equal(await p.locator(".hits li.goal").count(), 20);
    await p.locator(".pager a", { hasText: "下一页" }).click();
    await p.waitForFunction(() => location.hash.includes("page=2"));
    await p.waitForFunction(() => document.querySelector(".pager span.on")?.textContent === "2");
    assert.equal(await p.locator(".hits li.goal").count(), 20);
    // The graph draws at most 30 goals and says how many more there are.
    await p.goto(`${big.base}/#/graph/` + encodeURIComponent("崂山海洋协同创新实验室"));
    await p.locator("svg.graph").waitFor();
    assert.equal(await p.locator("svg.graph a.gnode[data-kind=goal]").count(), 30);
    assert.match(await p.locator("#app .msg").innerText(), new RegExp(`还有 ${goals - 30} 个`));
    await shot(p, "graph-large-1280");
    assert.deepEqual(p.errors, []);
    await p.close();
  } finally {
    big.server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("impact page of 中国科学院: every goal at stake, grouped by unit and year, with the evidence and its parts", async () => {
  const api = await (await fetch(`${base}/api/impact?name=${encodeURIComponent("中国科学院")}&limit=1000`)).json();
  assert.ok(api.total >= 1 && api.parts.length >= 1, JSON.stringify(api).slice(0, 300));
  const p = await page("#/node/" + encodeURIComponent(api.entity.id));
  await p.locator("a", { hasText: "延误影响" }).click();
  await p.waitForFunction(() => location.hash.startsWith("#/impact/") && document.querySelector("h1"));
  assert.match(await p.locator("h1").innerText(), /如果「中国科学院」延误/);
  assert.match(await p.locator(".meta").innerText(), new RegExp(`受影响的目标\\s*${api.total}\\s*个`));
  assert.equal(await p.locator("table.trace tbody tr").count(), api.goals.length);
  for (const part of api.parts) assert.match(await p.locator(".meta").innerText(), new RegExp(part.name));
  // Each row's evidence highlights a name, and the targets of those goals are listed.
  assert.ok(await p.locator("table.trace tbody tr mark").count() >= api.goals.length);
  if (api.targets.length) assert.equal(await p.locator("h2", { hasText: "受影响的指标" }).count(), 1);
  await shot(p, "impact-zhongkeyuan-1280");
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("duties page: an office named in a 责任单位 tag lists its goals by year with its role", async () => {
  const doc = [
    "市财政局2023年工作要点", "一、保障创新投入",
    "1.设立科技创新专项资金。统筹安排市级科技专项资金。（责任单位：市科技局、市财政局）",
    "2.完善财政科技投入机制。由市财政局负责，市审计局配合，建立资金绩效评价制度。",
  ].join("\n");
  const up = await fetch(`${base}/api/documents?filename=duties-2023.txt`, { method: "POST", body: doc });
  assert.equal(up.status, 200, await up.text());
  const api = await (await fetch(`${base}/api/duties?name=${encodeURIComponent("市财政局")}`)).json();
  assert.ok(api.total >= 2, JSON.stringify(api).slice(0, 300));
  const p = await page("#/node/" + encodeURIComponent(api.organization.id));
  await p.locator("a", { hasText: "负责的目标" }).click();
  await p.waitForFunction(() => location.hash.startsWith("#/duties/") && document.querySelector("h1"));
  assert.match(await p.locator("h1").innerText(), /市财政局 负责的目标/);
  const rows = p.locator("table.trace tbody tr");
  assert.equal(await rows.count(), api.total);
  const text = (await rows.allInnerTexts()).join("\n");
  assert.match(text, /设立科技创新专项资金[\s\S]*配合/);
  assert.match(text, /完善财政科技投入机制[\s\S]*牵头/);
  assert.match(await p.locator("h2").first().innerText(), /2023 年/);
  await shot(p, "duties-caizhengju-1280");
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("year-to-year: the unit's next-year document gives a 年度对比 with continued, added and dropped goals and changed targets; a subject's series", async () => {
  const file = join(root, "tests/fixtures/second_year/qingdao-kejiju-2022-business-goals.txt");
  const up = await fetch(`${base}/api/documents?filename=qingdao-kejiju-2022-business-goals.txt`, { method: "POST", body: readFileSync(file) });
  assert.equal(up.status, 200, await up.text());
  const gold = JSON.parse(readFileSync(join(root, "tests/fixtures/second_year/gold.json"), "utf8"));
  const api = await (await fetch(`${base}/api/diff?unit=${encodeURIComponent("市科技局")}&from=2021&to=2022`)).json();
  // From the unit's page to the comparison.
  const units = await (await fetch(`${base}/api/search?q=${encodeURIComponent("市科技局")}&kind=unit`)).json();
  const p = await page("#/node/" + encodeURIComponent(units.hits[0].id));
  await p.locator("a", { hasText: "2021 → 2022 年" }).click();
  await p.waitForFunction(() => location.hash.startsWith("#/diff") && document.querySelector("h1"));
  assert.match(await p.locator("h1").innerText(), /市科技局 年度对比：2021 → 2022 年/);
  const tables = p.locator("table");
  assert.equal(await tables.nth(0).locator("tbody tr").count(), api.continued.length);
  const added = gold.added.map(g => g.title || g), dropped = gold.dropped.map(g => g.title || g);
  const text = await p.locator("main").innerText();
  for (const t of [...added, ...dropped]) assert.ok(text.includes(t), `${t} is on the page`);
  // Every target change the API gives is a row with its change in Chinese.
  const rows = await tables.nth(1).locator("tbody tr").allInnerTexts();
  assert.equal(rows.length, api.targets.length);
  const zh = { raised: "提高", lowered: "降低", unchanged: "不变", removed: "取消", new: "新增" };
  api.targets.forEach((t, i) => assert.ok(rows[i].includes(zh[t.change]), `${rows[i]} says ${zh[t.change]}`));
  assert.ok(!/title words|shared platforms/.test(text), "the reasons are in Chinese");
  await shot(p, "diff-kejiju-2021-2022-1280");
  // A raised target's subject: its series across the two years.
  const raised = api.targets.find(t => t.change === "raised");
  await p.locator("table").nth(1).locator("tbody tr", { hasText: raised.subject }).locator("a", { hasText: "历年" }).click();
  await p.waitForFunction(() => location.hash.startsWith("#/targets") && document.querySelector("h1"));
  const series = p.locator("h2", { hasText: "历年序列" }).locator("xpath=following-sibling::table[1]").locator("tbody tr");
  const years = (await series.allInnerTexts()).map(r => r.trim().slice(0, 4));
  assert.ok(years.includes("2021") && years.includes("2022"), years.join(","));
  await shot(p, "targets-series-1280");
  assert.deepEqual(p.errors, []);
  await p.close();
});
