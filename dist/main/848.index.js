export const id = 848;
export const ids = [848];
export const modules = {

/***/ 2848:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   actionsCache: () => (/* binding */ actionsCache),
/* harmony export */   restoreModule: () => (/* binding */ restoreModule),
/* harmony export */   saveModule: () => (/* binding */ saveModule),
/* harmony export */   savePending: () => (/* binding */ savePending)
/* harmony export */ });
/* unused harmony exports RESTORE_SEGMENT_TIMEOUT_MS, actionsCacheService, removingTempFolders, moduleCacheKey, removeSharedWrite, wholeCopy, folderDigest */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _actions_core_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7950);
/* harmony import */ var _provisioning_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(298);





const client = () => Promise.all(/* import() */[__webpack_require__.e(942), __webpack_require__.e(273), __webpack_require__.e(745)]).then(__webpack_require__.bind(__webpack_require__, 6745));
const RESTORE_SEGMENT_TIMEOUT_MS = 120_000;
function actionsCacheService(load = client) {
    return {
        available: async () => Boolean(process.env.ACTIONS_CACHE_URL || process.env.ACTIONS_RESULTS_URL) && (await load()).isFeatureAvailable(),
        restore: async (paths, key) => removingTempFolders(async () => (await load()).restoreCache(paths, key, [], { segmentTimeoutInMs: RESTORE_SEGMENT_TIMEOUT_MS })),
        save: async (paths, key) => removingTempFolders(async () => (await (await load()).saveCache(paths, key)) !== -1),
    };
}
const actionsCache = actionsCacheService();
const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
async function removingTempFolders(call, temp = process.env.RUNNER_TEMP) {
    const names = () => {
        try {
            return temp ? node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(temp).filter((name) => UUID_NAME.test(name)) : [];
        }
        catch {
            return [];
        }
    };
    const before = new Set(names());
    try {
        return await call();
    }
    finally {
        for (const name of names()) {
            if (before.has(name))
                continue;
            try {
                node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(temp, name), { recursive: true, force: true });
            }
            catch {
            }
        }
    }
}
function moduleCacheKey(settings, platform, arch, today) {
    if (!settings.module.cache || settings.module.version === 'installed')
        return null;
    const version = settings.module.version === 'latest' ? (0,_provisioning_js__WEBPACK_IMPORTED_MODULE_4__/* .latestFolder */ .o2)(today) : settings.module.version;
    const repository = (0,_provisioning_js__WEBPACK_IMPORTED_MODULE_4__/* .repositoryKey */ .Kq)(settings.module.repository);
    return `exo-connect-module-${platform}-${arch}-${settings.shell}-ExchangeOnlineManagement-${version}-${repository}`;
}
async function restoreModule(settings, directory, service, now = new Date()) {
    const key = directory === null ? null : moduleCacheKey(settings, process.platform, process.arch, now);
    if (key === null || directory === null)
        return { key: null, hit: false };
    if (holdsSavedCopy(directory)) {
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(`The module is already saved on this runner (${directory}); the Actions cache is not used.`);
        return { key: null, hit: false };
    }
    if (!(await service.available())) {
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq('The Actions cache is not available here: a module this run downloads is not cached for the next.');
        return { key: null, hit: false };
    }
    try {
        const hit = (await service.restore([directory], key)) === key;
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(hit ? `Module restored from the cache (${key}).` : `No cached module for ${key}.`);
        if (hit)
            removeSharedWrite(directory);
        else
            dropPartialRestore(directory);
        return { key, hit };
    }
    catch (error) {
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`Restoring the module from the cache failed: ${error.message}. It will be downloaded.`);
        dropPartialRestore(directory);
        return { key, hit: false };
    }
}
function removeSharedWrite(directory) {
    if (process.platform === 'win32')
        return;
    const above = [];
    for (let folder = directory; above.length < 4; folder = node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(folder)) {
        above.push(folder);
        if (node_path__WEBPACK_IMPORTED_MODULE_2__.basename(folder) === 'exo-connect-action' || node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(folder) === folder)
            break;
    }
    const entries = node_path__WEBPACK_IMPORTED_MODULE_2__.basename(above.at(-1)) === 'exo-connect-action' ? above : [directory];
    try {
        for (const entry of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(directory, { recursive: true, withFileTypes: true })) {
            entries.push(node_path__WEBPACK_IMPORTED_MODULE_2__.join(entry.parentPath, entry.name));
        }
    }
    catch {
    }
    for (const entry of entries) {
        try {
            const stat = node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync(entry);
            if (stat.isSymbolicLink())
                continue;
            const mode = stat.mode & 0o7777;
            const take = stat.isDirectory() && (mode & 0o2000) !== 0 ? 0o002 : 0o022;
            if ((mode & take) !== 0)
                node_fs__WEBPACK_IMPORTED_MODULE_1__.chmodSync(entry, mode & ~take);
        }
        catch {
        }
    }
}
function dropPartialRestore(directory) {
    const module = node_path__WEBPACK_IMPORTED_MODULE_2__.join(directory, 'ExchangeOnlineManagement');
    const partial = savedCopies(directory).filter((version) => !wholeCopy(node_path__WEBPACK_IMPORTED_MODULE_2__.join(module, version)));
    if (partial.length === 0)
        return;
    _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`The cache restore left part of a module in ${directory} and did not finish; it is removed, and the module is downloaded.`);
    for (const version of partial)
        node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(module, version), { recursive: true, force: true });
    if (versionFolders(module).length === 0)
        node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(module, { recursive: true, force: true });
}
function versionFolders(module) {
    try {
        return node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(module);
    }
    catch {
        return [];
    }
}
const WHOLE_COPY_MARK = '.exo-connect-action-whole';
function wholeCopy(folder) {
    let mark;
    try {
        mark = node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(folder, WHOLE_COPY_MARK), 'utf8');
    }
    catch {
        return false;
    }
    let files = 0;
    let bytes = 0;
    for (const entry of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(folder, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || (entry.name === WHOLE_COPY_MARK && entry.parentPath === folder))
            continue;
        files++;
        bytes += node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(entry.parentPath, entry.name)).size;
    }
    return mark.trim() === `${files} ${bytes}`;
}
function holdsSavedCopy(directory) {
    return savedCopies(directory).length > 0;
}
function savedCopies(directory) {
    const module = node_path__WEBPACK_IMPORTED_MODULE_2__.join(directory, 'ExchangeOnlineManagement');
    return versionFolders(module).filter((version) => node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(module, version, 'ExchangeOnlineManagement.psd1')));
}
function savePending(state) {
    return state.key !== null && !state.hit;
}
async function saveModule(state, directory, service, imported) {
    if (state.key === null || state.hit || directory === null)
        return 'skipped';
    if (!holdsSavedCopy(directory))
        return 'skipped';
    if (imported === null || !imported.saved) {
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(imported === null
            ? `The module was not saved to the cache (${state.key}): the run ended before it imported the module.`
            : `The module was not saved to the cache (${state.key}): another job on this runner saved the copy this run used, and a run caches only a copy it downloaded itself.`);
        return 'skipped';
    }
    try {
        if (folderDigest(directory) !== imported.digest) {
            _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`The module was not saved to the Actions cache: its files in ${directory} changed after PowerShell imported them (the script, or another job on this runner, wrote to them), and every job that restored the cache would run what is there now. The next run downloads the module again.`);
            return 'skipped';
        }
        if (!(await service.save([directory], state.key))) {
            _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(`The module was not saved to the cache (${state.key}): the cache service's message above says why (another job saving the same key at once is one reason).`);
            return 'skipped';
        }
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(`Module saved to the cache (${state.key}).`);
        return 'saved';
    }
    catch (error) {
        _actions_core_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`Saving the module to the cache failed: ${error.message}.`);
        return 'skipped';
    }
}
function folderDigest(folder) {
    const files = [];
    for (const entry of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(folder, { recursive: true, withFileTypes: true })) {
        if (entry.isDirectory())
            continue;
        if (!entry.isFile())
            return null;
        files.push(node_path__WEBPACK_IMPORTED_MODULE_2__.relative(folder, node_path__WEBPACK_IMPORTED_MODULE_2__.join(entry.parentPath, entry.name)).split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/'));
    }
    files.sort();
    const all = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    for (const file of files) {
        const bytes = node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(folder, file));
        all.update(`${file}\0${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex')}\n`, 'utf8');
    }
    return all.digest('hex');
}


/***/ })

};
