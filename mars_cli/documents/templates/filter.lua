-- Text written in records is never markup for the output format: raw blocks and inlines
-- become code, and pictures become their description (a record cannot pull a file into a
-- paper). Only the charts mars drew itself pass, marked with the build's secret token.
-- Each thing dropped is named on stderr, so the build can say what it dropped.
local token = nil

local function dropped(what)
  io.stderr:write("mars-dropped\t" .. what .. "\n")
end

local function picture(img)
  if token and token ~= "" and img.classes:includes(token) then
    return img
  end
  dropped("image")
  local words = pandoc.utils.stringify(img.caption)
  return pandoc.Emph(pandoc.Inlines("[picture not included" .. (words ~= "" and (": " .. words) or "") .. "]"))
end

-- A link from a record keeps its words; only a web or e-mail address stays a link (a javascript:,
-- data: or file: link would run or open something on the reader's machine).
local function link(l)
  local target = l.target:lower()
  if target:match("^https?://") or target:match("^mailto:") then
    return l
  end
  dropped("link")
  return l.content
end

return {
  {Meta = function(meta) token = meta["mars-token"] and pandoc.utils.stringify(meta["mars-token"]) end},
  {
    Image = picture,
    Link = link,
    RawBlock = function(raw) dropped("raw " .. raw.format .. " block"); return pandoc.CodeBlock(raw.text) end,
    RawInline = function(raw) dropped("raw " .. raw.format .. " text"); return pandoc.Code(raw.text) end,
  },
}
