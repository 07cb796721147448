-- LuaJIT 2.1 peer of policies/dongliu-2019.wz (see SPEC.md).
-- Usage: luajit dongliu_jit.lua FACTS_DIR OUT_PAY_CSV
--
-- The big dated files (leave.csv, signin.csv) are read with fread into a
-- malloc'd buffer and scanned byte by byte through an FFI pointer: the loops
-- compile to machine code and no string is created per row.  The person id
-- is hashed as it is read (two 32-bit polynomial hashes) and found in an
-- open-addressing table of the staff ids (see below).  Dates become the
-- integer YYYYMMDD, amounts exact integers (days x 10^4); per-person sums are
-- doubles in FFI arrays (exact: integers far below 2^53).  The small files,
-- the per-person arithmetic (int64_t cdata for the big products) and the
-- output are in dongliu_common.lua.

local here = arg[0]:match("^(.*)/") or "."
package.path = here .. "/?.lua;" .. package.path
local C = require("dongliu_common")
local ffi = require("ffi")
local fail = C.fail

local dir, out = arg[1], arg[2]
if not dir or not out then
    io.stderr:write("usage: luajit dongliu_jit.lua FACTS_DIR OUT_PAY_CSV\n")
    os.exit(2)
end

local c = C.load(dir)
local N, ids, ys, s2, ye = c.N, c.ids, c.ys, c.s2, c.ye

local bit = require("bit")
local band, bxor, rshift, tobit = bit.band, bit.bxor, bit.rshift, bit.tobit

ffi.cdef [[
typedef struct FILE FILE;
FILE *fopen(const char *path, const char *mode);
size_t fread(void *ptr, size_t size, size_t n, FILE *f);
int fclose(FILE *f);
void *malloc(size_t n);
void free(void *p);
typedef struct { int32_t h1, h2, k, len; } dl_slot;
]]

-- Person ids are looked up by their length and two 32-bit polynomial hashes
-- of their bytes (bases 31 and 65599), computed as the bytes are scanned, in
-- an open-addressing table of the staff ids.  The staff ids' (h1, h2) pairs
-- are checked to be distinct, so every known id finds exactly its person; if
-- two ever coincide, every match is also confirmed byte by byte (VERIFY).
-- Without VERIFY an unknown id is reported unless it has the length and both
-- hashes of a staff id (no two ids differing in one or two bytes can; for
-- others the chance is about N / 2^64).
local function hashes(id)
    local h1, h2 = 0, 0
    for x = 1, #id do
        local ch = id:byte(x)
        h1 = tobit(h1 * 31 + ch)
        h2 = tobit(h2 * 65599 + ch)
    end
    return h1, h2
end

local size = 16
while size < 2 * N do size = size * 2 end
local mask = size - 1
local T = ffi.new("dl_slot[?]", size)
local VERIFY = false
local idbuf = table.concat(ids)
local ib = ffi.cast("const uint8_t*", idbuf)
local idoff = ffi.new("int32_t[?]", N + 1)
local idlen = ffi.new("int32_t[?]", N + 1)
do
    local seen, o = {}, 0
    for k = 1, N do
        local id = ids[k]
        local h1, h2 = hashes(id)
        local key = h1 .. ":" .. h2 .. ":" .. #id
        if seen[key] then VERIFY = true end
        seen[key] = true
        local sl = band(bxor(h2, rshift(h2, 16)), mask)
        while T[sl].k ~= 0 do sl = band(sl + 1, mask) end
        T[sl].h1, T[sl].h2, T[sl].k, T[sl].len = h1, h2, k, #id
        idoff[k], idlen[k] = o, #id
        o = o + #id
    end
end

-- Does the id of person k equal the bytes p[i..j-1]?
local function same(k, p, i, j)
    local o, l = idoff[k], idlen[k]
    if l ~= j - i then return false end
    for x = 0, l - 1 do
        if p[i + x] ~= ib[o + x] then return false end
    end
    return true
end

local function unknown(name, p, i, j)
    C.unknown(name, ffi.string(p + i, j - i))
end

local function badrow(name, p, i)
    local e = i
    while p[e] ~= 10 and p[e] ~= 0 do e = e + 1 end
    fail(name .. ": bad row \"" .. ffi.string(p + i, e - i) .. "\"")
end

-- The text of a big facts file as (pointer, first data byte, length, anchor).
-- Normally read with fread into a malloc'd buffer (no Lua string: saves the
-- copies of f:read("*a")); "\r\n" line ends are accepted by the scanners.
-- A file whose header differs from the expected one (other column order,
-- ...) goes through C.read, which rewrites it in the expected order.
local function load_big(name)
    local path = dir .. "/" .. name
    local f = io.open(path, "rb")
    if not f then fail("cannot open " .. path) end
    local n = f:seek("end")
    local head = ""
    if n > 0 then f:seek("set", 0); head = f:read(4096) or "" end
    f:close()
    local bom = head:sub(1, 3) == "\239\187\191" and 3 or 0
    local raw = head:match("^([^\n]*)\n", bom + 1)
    if not raw or raw:gsub("\r$", "") ~= C.HEADERS[name] then
        local s, start = C.read(dir, name)
        return ffi.cast("const uint8_t*", s), start - 1, #s, s
    end
    local mem = ffi.C.malloc(n + 2)
    if mem == nil then fail("out of memory reading " .. path) end
    local buf = ffi.gc(ffi.cast("uint8_t*", mem), ffi.C.free)
    local fp = ffi.C.fopen(path, "rb")
    if fp == nil then fail("cannot open " .. path) end
    local got = ffi.C.fread(buf, 1, n, fp)
    ffi.C.fclose(fp)
    if got ~= n then fail("short read on " .. path) end
    if buf[n - 1] ~= 10 then buf[n] = 10; n = n + 1 end
    buf[n] = 0
    return buf, bom + #raw + 1, n, buf
end

-- leave.csv ---------------------------------------------------------------
local L = ffi.new("double[?]", 8 * (N + 1))
local KS = {}
do
    -- leave kinds by their hashes: KS[h1] = { h2, slot code }
    for kind, v in pairs(C.KIND) do
        local h1, h2 = hashes(kind)
        assert(not KS[h1], "two leave kinds with one hash")
        KS[h1] = { h2, v }
    end
end
do
    local p, i, len, anchor = load_big("leave.csv")
    while i < len do
        local ch = p[i]
        if ch == 10 or ch == 13 then
            i = i + 1
        else
            -- id
            local j, h1, h2 = i, 0, 0
            while ch ~= 44 do
                if ch == 10 or ch == 0 then badrow("leave.csv", p, i) end
                h1 = tobit(h1 * 31 + ch)
                h2 = tobit(h2 * 65599 + ch)
                j = j + 1
                ch = p[j]
            end
            local sl = band(bxor(h2, rshift(h2, 16)), mask)
            local k
            while true do
                local e = T[sl]
                k = e.k
                if k == 0 then unknown("leave.csv", p, i, j) end
                if e.h1 == h1 and e.h2 == h2 and e.len == j - i and (not VERIFY or same(k, p, i, j)) then break end
                sl = band(sl + 1, mask)
            end
            -- date YYYY-MM-DD
            local d = j + 1
            if p[d + 4] ~= 45 or p[d + 7] ~= 45 or p[d + 10] ~= 44 then badrow("leave.csv", p, i) end
            local v = p[d] * 10000000 + p[d + 1] * 1000000 + p[d + 2] * 100000 + p[d + 3] * 10000
                + p[d + 5] * 1000 + p[d + 6] * 100 + p[d + 8] * 10 + p[d + 9] - 533333328
            -- kind
            local e = d + 11
            local k1, k2 = 0, 0
            ch = p[e]
            while ch ~= 44 do
                if ch == 10 or ch == 0 then badrow("leave.csv", p, i) end
                k1 = tobit(k1 * 31 + ch)
                k2 = tobit(k2 * 65599 + ch)
                e = e + 1
                ch = p[e]
            end
            local ke = KS[k1]
            if not ke or ke[1] ~= k2 then badrow("leave.csv", p, i) end
            local kb = ke[2]
            -- days, exact x10^4
            e = e + 1
            local e0 = e
            ch = p[e]
            local dd = 0
            while ch >= 48 and ch <= 57 do
                dd = dd * 10 + ch - 48
                e = e + 1
                ch = p[e]
            end
            dd = dd * 10000
            if ch == 46 then
                e = e + 1
                ch = p[e]
                local sc = 1000
                while ch >= 48 and ch <= 57 do
                    if sc >= 1 then
                        dd = dd + (ch - 48) * sc
                        sc = sc / 10 -- 100, 10, 1 exactly; then 0.1 means "past 4 digits"
                    elseif ch ~= 48 then
                        fail("leave.csv: more than 4 decimals in a row's days")
                    end
                    e = e + 1
                    ch = p[e]
                end
            end
            if ch == 13 then e = e + 1; ch = p[e] end
            if ch ~= 10 or e == e0 then badrow("leave.csv", p, i) end
            if kb >= 0 and v >= ys and v <= ye then
                local slot = k * 8 + kb
                if v >= s2 then slot = slot + 1 end
                L[slot] = L[slot] + dd
            end
            i = e + 1
        end
    end
end

-- signin.csv ----------------------------------------------------------------
local MS = ffi.new("double[?]", 2 * (N + 1))
do
    local p, i, len, anchor = load_big("signin.csv")
    while i < len do
        local ch = p[i]
        if ch == 10 or ch == 13 then
            i = i + 1
        else
            local j, h1, h2 = i, 0, 0
            while ch ~= 44 do
                if ch == 10 or ch == 0 then badrow("signin.csv", p, i) end
                h1 = tobit(h1 * 31 + ch)
                h2 = tobit(h2 * 65599 + ch)
                j = j + 1
                ch = p[j]
            end
            local sl = band(bxor(h2, rshift(h2, 16)), mask)
            local k
            while true do
                local e = T[sl]
                k = e.k
                if k == 0 then unknown("signin.csv", p, i, j) end
                if e.h1 == h1 and e.h2 == h2 and e.len == j - i and (not VERIFY or same(k, p, i, j)) then break end
                sl = band(sl + 1, mask)
            end
            local d = j + 1
            if p[d + 4] ~= 45 or p[d + 7] ~= 45 or p[d + 10] ~= 44 then badrow("signin.csv", p, i) end
            local v = p[d] * 10000000 + p[d + 1] * 1000000 + p[d + 2] * 100000 + p[d + 3] * 10000
                + p[d + 5] * 1000 + p[d + 6] * 100 + p[d + 8] * 10 + p[d + 9] - 533333328
            local e = d + 11
            ch = p[e]
            local m = 0
            while ch >= 48 and ch <= 57 do
                m = m * 10 + ch - 48
                e = e + 1
                ch = p[e]
            end
            if ch == 13 then e = e + 1; ch = p[e] end
            if ch ~= 10 or e == d + 11 then badrow("signin.csv", p, i) end
            if v >= ys and v <= ye then
                local slot = k * 2
                if v >= s2 then slot = slot + 1 end
                MS[slot] = MS[slot] + m
            end
            i = e + 1
        end
    end
end

-- exact integer helpers (int64_t cdata) -------------------------------------
local MAXI = 9223372036854775807LL
local ops = {
    I = function(x) return 0LL + x end,
    idiv = function(a, b) return (0LL + a) / b end, -- operands are >= 0: truncation = floor
    imod = function(a, b) return (0LL + a) % b end,
    tonum = function(x) return tonumber(x) end,
    -- floor(x*y/q), x*y mod q for 0 <= x < q < 2^62, y >= 0, without overflow
    muldiv = function(x, y, q)
        x = 0LL + x
        if y == 0 or x <= MAXI / y then
            local p = x * y
            return p / q, p % q
        end
        local top = 1
        while top * 2 <= y do top = top * 2 end
        local Q, R = 0LL, 0LL
        while top >= 1 do
            Q, R = Q * 2, R * 2
            if R >= q then R = R - q; Q = Q + 1 end
            if y >= top then
                y = y - top
                R = R + x
                if R >= q then R = R - q; Q = Q + 1 end
            end
            top = top * 0.5
        end
        return Q, R
    end,
}

C.finish(c,
    function(k)
        local b = k * 8
        return L[b], L[b + 1], L[b + 2], L[b + 3], L[b + 4], L[b + 5], L[b + 6], L[b + 7]
    end,
    function(k)
        return MS[k * 2], MS[k * 2 + 1]
    end,
    ops, out)
