-- Lua 5.4 peer of policies/dongliu-2019.wz (see SPEC.md).
-- Usage: lua5.4 dongliu.lua FACTS_DIR OUT_PAY_CSV
--
-- The big dated files are scanned with one gmatch per row that captures the
-- person id and the rest of the row ("date,kind,days" / "date,missed").  The
-- rest takes few distinct values (days of the year x kinds x amounts), so it
-- is decoded once and cached as one integer code: amount * 8 + slot, or -1
-- when the row counts nowhere (outside the period, a kind without
-- deduction, zero amount).  Per-person sums live in one flat integer array.

local here = arg[0]:match("^(.*)/") or "."
package.path = here .. "/?.lua;" .. package.path
local C = require("dongliu_common")
local fail = C.fail

local dir, out = arg[1], arg[2]
if not dir or not out then
    io.stderr:write("usage: lua5.4 dongliu.lua FACTS_DIR OUT_PAY_CSV\n")
    os.exit(2)
end

local c = C.load(dir)
local N, idx, ys, s2, ye = c.N, c.idx, c.ys, c.s2, c.ye
local gmatch, match = string.gmatch, string.match

-- id -> base index of the person's slots in the flat arrays
local B8, B2 = {}, {}
for id, k in pairs(idx) do
    B8[id] = (k - 1) * 8 + 1
    B2[id] = (k - 1) * 2 + 1
end

-- The row pattern's id part is [^,]* (cheaper to match than [^\n,]*), so
-- after blank lines the id starts with "\n"s: strip them here.
local function blank(B, id, name)
    return B[id:match("^\n+(.*)$") or false] or C.unknown(name, (id:gsub("\n", "")))
end

-- leave.csv ---------------------------------------------------------------
local L = {}
for i = 1, 8 * N do L[i] = 0 end
do
    local KIND = C.KIND
    local cache = {}
    local function code(rest)
        local d, kind, days = match(rest, "^([^,]*),([^,]*),([^,]*)$")
        if not d then fail("leave.csv: bad row tail \"" .. rest .. "\"") end
        local v = C.ymd(d, "leave.csv date")
        local kb = KIND[kind] or fail("leave.csv: unknown kind \"" .. kind .. "\"")
        local dd = C.dec4(days, "leave.csv days")
        local r = -1
        if kb >= 0 and dd > 0 and v >= ys and v <= ye then
            r = dd * 8 + kb + (v < s2 and 0 or 1)
        end
        cache[rest] = r
        return r
    end
    local s, p = C.read(dir, "leave.csv")
    for id, rest in gmatch(s, "([^,]*),([^\n]*)\n", p) do
        local b = B8[id] or blank(B8, id, "leave.csv")
        local r = cache[rest] or code(rest)
        if r >= 0 then
            b = b + (r & 7)
            L[b] = L[b] + (r >> 3)
        end
    end
end

-- signin.csv ----------------------------------------------------------------
local MS = {}
for i = 1, 2 * N do MS[i] = 0 end
do
    local cache = {}
    local function code(rest)
        local d, m = match(rest, "^([^,]*),([^,]*)$")
        if not d then fail("signin.csv: bad row tail \"" .. rest .. "\"") end
        local v = C.ymd(d, "signin.csv date")
        m = match(m, "^ *(%d+) *$") or fail("signin.csv: missed not an integer: \"" .. m .. "\"")
        m = tonumber(m)
        local r = -1
        if m > 0 and v >= ys and v <= ye then r = m * 2 + (v < s2 and 0 or 1) end
        cache[rest] = r
        return r
    end
    local s, p = C.read(dir, "signin.csv")
    for id, rest in gmatch(s, "([^,]*),([^\n]*)\n", p) do
        local b = B2[id] or blank(B2, id, "signin.csv")
        local r = cache[rest] or code(rest)
        if r >= 0 then
            b = b + (r & 1)
            MS[b] = MS[b] + (r >> 1)
        end
    end
end

-- exact integer helpers (native 64-bit integers) ----------------------------
local maxint = math.maxinteger
local ops = {
    I = function(x) return x end,
    idiv = function(a, b) return a // b end,
    imod = function(a, b) return a % b end,
    tonum = function(x) return x end,
    -- floor(x*y/q), x*y mod q for 0 <= x < q < 2^62, y >= 0, without overflow
    muldiv = function(x, y, q)
        if y == 0 or x <= maxint // y then
            local p = x * y
            return p // q, p % q
        end
        local top = 1
        while top * 2 <= y do top = top * 2 end
        local Q, R = 0, 0
        while top >= 1 do
            Q, R = Q * 2, R * 2
            if R >= q then R = R - q; Q = Q + 1 end
            if y >= top then
                y = y - top
                R = R + x
                if R >= q then R = R - q; Q = Q + 1 end
            end
            top = top // 2
        end
        return Q, R
    end,
}

C.finish(c,
    function(k)
        local b = (k - 1) * 8
        return L[b + 1], L[b + 2], L[b + 3], L[b + 4], L[b + 5], L[b + 6], L[b + 7], L[b + 8]
    end,
    function(k)
        local b = (k - 1) * 2
        return MS[b + 1], MS[b + 2]
    end,
    ops, out)
