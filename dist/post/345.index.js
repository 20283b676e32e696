export const id = 345;
export const ids = [345];
export const modules = {

/***/ 345:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   redactResultFile: () => (/* binding */ redactResultFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(150);


async function redactResultFile(file) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync(file.path, { throwIfNoEntry: false })?.isFile())
        return 0;
    const csv = file.format === 'csv';
    const redactLine = csv ? _secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactCsv */ .A5 : _secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactJson */ .Kp;
    const read = () => (csv ? csvRecords(file.path) : lines(file.path));
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
    failed.catch(() => undefined);
    const settled = (event) => Promise.race([new Promise((resolve) => out.once(event, () => resolve())), failed]);
    try {
        for await (const [line, ending] of read()) {
            let clean = line;
            if (holds(line)) {
                clean = redactLine(line);
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
function unescapeJson(text) {
    return text.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_, hex, char) => hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (JSON_ESCAPES[char] ?? char));
}
const MAX_CSV_RECORD_CHARS = 1_000_000;
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
            quotes %= 2;
        }
        else {
            record += ending;
        }
    }
    if (record !== '')
        yield [record, ''];
}
async function* lines(file) {
    let rest = '';
    for await (const chunk of node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream(file, { encoding: 'utf8' })) {
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
