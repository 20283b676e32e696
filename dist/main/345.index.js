export const id = 345;
export const ids = [345];
export const modules = {

/***/ 345:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   redactResultFile: () => (/* binding */ redactResultFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(150);
// Takes secrets out of result-file, the script's objects as a file, which is often uploaded. Main
// does it once PowerShell has exited; post does it when main ended first. A module of its own: a
// run without result-file never loads it.


/**
 * Takes every secret out of the file the runner wrote, as `result` has them taken out: a server
 * may echo a credential into the objects the script returns, and the file is often uploaded as an
 * artifact. Read a line at a time (JSON escapes line breaks; a CSV value with one in it is the
 * exception), searched for the secrets' masked forms, and written again only when a line holds
 * one. Returns how many lines did.
 */
async function redactResultFile(file) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync(file.path, { throwIfNoEntry: false })?.isFile())
        return 0;
    const csv = file.format === 'csv';
    const redactLine = csv ? _secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactCsv */ .A5 : _secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactJson */ .Kp;
    const read = () => (csv ? csvRecords(file.path) : lines(file.path));
    // A secret is looked for in the values as written, too: a CSV value doubles its quotes, a JSON
    // string escapes quotes, backslashes and line breaks, and a spread-out secret is found only whole.
    const holds = (text) => (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .holdsSecret */ .hK)(text) || (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .holdsSecret */ .hK)(csv ? text.split('""').join('"') : unescapeJson(text));
    let changed = 0;
    for await (const [line] of read())
        if (holds(line))
            changed++;
    if (changed === 0)
        return 0;
    const temporary = `${file.path}.redacting`;
    const out = node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream(temporary);
    const failed = new Promise((_, reject) => out.once('error', reject));
    failed.catch(() => undefined); // raced below; a write error must not go unhandled meanwhile
    const settled = (event) => Promise.race([new Promise((resolve) => out.once(event, () => resolve())), failed]);
    try {
        for await (const [line, ending] of read()) {
            let clean = line;
            if (holds(line)) {
                clean = redactLine(line);
                // A line cut short (PowerShell ended while it wrote it) is no JSON or CSV to read values from.
                if (holds(clean))
                    clean = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(clean);
            }
            if (!out.write(clean + ending))
                await settled('drain');
        }
        out.end();
        await settled('finish');
        node_fs__WEBPACK_IMPORTED_MODULE_0__.renameSync(temporary, file.path);
    }
    catch (error) {
        out.destroy();
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(temporary, { force: true });
        throw error;
    }
    return changed;
}
const JSON_ESCAPES = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** JSON text with its strings' escapes read (\" \\ \n \uXXXX …), for the look for a secret only. */
function unescapeJson(text) {
    return text.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_, hex, char) => hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (JSON_ESCAPES[char] ?? char));
}
/** A CSV record longer than this is taken a line at a time: no output is ever held whole. */
const MAX_CSV_RECORD_CHARS = 1_000_000;
/**
 * The CSV file's records, each with the line break that ended it: a quoted value may hold line
 * breaks (Export-Csv writes them as they are), and a secret split across them is only found in
 * the whole record. A record ends at a line break outside quotes: where its quotes are even.
 */
async function* csvRecords(file) {
    let record = '';
    let quotes = 0;
    for await (const [line, ending] of lines(file)) {
        record += line;
        for (let at = line.indexOf('"'); at >= 0; at = line.indexOf('"', at + 1))
            quotes++;
        if (quotes % 2 === 0 || record.length > MAX_CSV_RECORD_CHARS) {
            yield [record, ending];
            record = '';
            // A record cut at the limit may end inside a quoted value: the next starts inside it.
            quotes %= 2;
        }
        else {
            record += ending;
        }
    }
    if (record !== '')
        yield [record, ''];
}
/**
 * The file's lines, each with the line break that ended it (\n, \r\n, or none for the last), so
 * that the file is written again byte for byte where it holds no secret: a lone CR, or an LF inside
 * a quoted CSV value, stays as it was. (readline reads a lone CR as a line break too.)
 */
async function* lines(file) {
    let rest = '';
    for await (const chunk of node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream(file, { encoding: 'utf8' })) {
        // Searched from the new text only: a line longer than a chunk is not read again at each chunk.
        const searched = rest.length;
        rest += chunk;
        let start = 0;
        for (let at = rest.indexOf('\n', searched); at >= 0; at = rest.indexOf('\n', start)) {
            const cr = at > start && rest[at - 1] === '\r';
            yield [rest.slice(start, cr ? at - 1 : at), cr ? '\r\n' : '\n'];
            start = at + 1;
        }
        rest = rest.slice(start);
    }
    if (rest !== '')
        yield [rest, ''];
}


/***/ })

};
